package dev.haetae.examples.plugin;

import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.SignalProvider;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The signal half of the {@link InviteLinkPolicy} example: finds an invite link to another room in
 * a post's caption and records, as a custom signal under its own id, that it found one (and which
 * service) — not the link itself, which stays out of the log like the caption. Immutable and
 * thread-safe; reads only the request.
 */
public final class InviteLinkSignals implements SignalProvider {
  /** The provider's id, which its signals carry. */
  public static final String ID = "example-invite-link";
  private static final Pattern TELEGRAM = Pattern.compile("t\\.me/(?:\\+|joinchat/)[A-Za-z0-9_-]+");
  private static final Pattern KAKAO = Pattern.compile("open\\.kakao\\.com/o/[A-Za-z0-9_-]+");
  private static final Pattern DISCORD = Pattern.compile("discord\\.gg/[A-Za-z0-9_-]+");
  private static final int MAX_SCAN_CHARS = 4096;

  /** A new instance. */
  public InviteLinkSignals() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String version() {
    return "1";
  }

  /**
   * The service name holds no personal data, so the log may show it (attributes not named here are
   * masked in the log).
   *
   * @return {@code service}
   */
  @Override
  public Set<String> safeAttributes() {
    return Set.of("service");
  }

  @Override
  public List<Signal> signals(ModerationRequest request, Instant now) {
    if (!(request instanceof ContentEvent)) {
      return List.of();
    }
    String text = ((ContentEvent) request).content().text().orElse("");
    if (text.length() > MAX_SCAN_CHARS) {
      text = text.substring(0, MAX_SCAN_CHARS);
    }
    String service = TELEGRAM.matcher(text).find() ? "telegram" : KAKAO.matcher(text).find() ? "kakaotalk"
        : DISCORD.matcher(text).find() ? "discord" : null;
    return service == null ? List.of() : List.of(new Signal.Custom(ID, "invite_link", Map.of("service", service)));
  }

  /**
   * Whether the evidence holds this provider's finding of an invite link.
   *
   * @param evidence the evidence; not null
   * @return true when an invite link was found
   */
  public static boolean found(Evidence evidence) {
    for (Signal.Custom c : evidence.signals(Signal.Custom.class)) {
      if (c.provider().equals(ID) && c.name().equals("invite_link")) {
        return true;
      }
    }
    return false;
  }
}
