package dev.haetae.moderation.api;

import java.util.Locale;

/** Lower-case wire names for enums; not part of the public API. */
final class WireName {
  private WireName() {}

  static String of(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  static <E extends Enum<E>> E parse(Class<E> type, String field, String wire) {
    if (wire == null) {
      throw new InvalidRequestException(field, "must not be null");
    }
    try {
      return Enum.valueOf(type, wire.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        if (allowed.length() > 0) {
          allowed.append(", ");
        }
        allowed.append(of(c));
      }
      throw new InvalidRequestException(field, "has unknown value '" + wire + "' (allowed: " + allowed + ")");
    }
  }
}
