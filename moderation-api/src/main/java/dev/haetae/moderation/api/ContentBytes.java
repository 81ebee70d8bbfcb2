package dev.haetae.moderation.api;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The bytes of one upload, handed to the engine so that it can fingerprint them. The engine hashes
 * them and forgets them: they are never logged or stored.
 *
 * <p>Immutable and thread-safe: the array is copied on the way in and never exposed.
 *
 * @since 0.1
 */
public final class ContentBytes {
  private final byte[] bytes;

  private ContentBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Copies the given bytes.
   *
   * @param bytes the file's bytes; not null (an empty array is accepted here and rejected by the
   *     hasher as an empty file)
   * @return the wrapper
   * @throws InvalidRequestException when {@code bytes} is null
   */
  public static ContentBytes copyOf(byte[] bytes) {
    InvalidRequestException.requireNonNull("bytes", bytes);
    return new ContentBytes(bytes.clone());
  }

  /**
   * The number of bytes.
   *
   * @return the size
   */
  public int size() {
    return bytes.length;
  }

  /**
   * A fresh stream over the bytes.
   *
   * @return a new stream; never null
   */
  public InputStream openStream() {
    return new ByteArrayInputStream(bytes);
  }

  /**
   * A copy of the bytes.
   *
   * @return a new array
   */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /**
   * Equal when the bytes are equal.
   *
   * @param o the other object
   * @return whether equal
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof ContentBytes && Arrays.equals(bytes, ((ContentBytes) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Shows the size only, never the content. */
  @Override
  public String toString() {
    return "ContentBytes[" + bytes.length + " bytes]";
  }
}
