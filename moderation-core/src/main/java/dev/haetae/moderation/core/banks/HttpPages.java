package dev.haetae.moderation.core.banks;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The HTTP side of the sources: GETs and POSTs with the host's headers (credentials), bounded time
 * and a bounded response size; a status other than 2xx or a response over the limit fails the
 * sync with a message that names the URL (without its query, which may hold credentials).
 */
final class HttpPages {
  private final HttpClient client;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final long maxBytes;

  HttpPages(Map<String, String> headers, Duration timeout, long maxBytes) {
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.headers = Map.copyOf(headers);
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  /** Reads a page; the handler gets the body as UTF-8 text. */
  <T> T get(URI uri, PageHandler<T> handler) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    headers.forEach(b::header);
    return send(b.build(), handler);
  }

  /** Posts a JSON body; the handler gets the response body. */
  <T> T postJson(URI uri, String json, PageHandler<T> handler) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    headers.forEach(b::header);
    return send(b.build(), handler);
  }

  private <T> T send(HttpRequest request, PageHandler<T> handler) {
    String where = where(request.uri());
    HttpResponse<InputStream> resp;
    try {
      resp = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + where + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(request.method() + " " + where + " was interrupted", e);
    }
    try (InputStream body = resp.body()) {
      if (resp.statusCode() / 100 != 2) {
        throw new IllegalStateException(request.method() + " " + where + " answered HTTP " + resp.statusCode());
      }
      try (Reader r = new InputStreamReader(new Bounded(body, maxBytes, where), StandardCharsets.UTF_8)) {
        return handler.handle(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + where + ": " + e.getMessage(), e);
    }
  }

  static String where(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority() + (uri.getPath() == null ? "" : uri.getPath());
  }

  /** Handles a response body. */
  interface PageHandler<T> {
    T handle(Reader body) throws IOException;
  }

  /** Fails a read past a byte limit instead of buffering an endless response. */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    private final long max;
    private final String where;
    private long n;

    Bounded(InputStream in, long max, String where) {
      this.in = in;
      this.max = max;
      this.where = where;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0 && ++n > max) {
        throw new IOException("response of " + where + " is larger than " + max + " bytes");
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int r = in.read(buf, off, len);
      if (r > 0) {
        n += r;
        if (n > max) {
          throw new IOException("response of " + where + " is larger than " + max + " bytes");
        }
      }
      return r;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
