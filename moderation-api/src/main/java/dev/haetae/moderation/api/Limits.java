package dev.haetae.moderation.api;

/**
 * Every input limit Haetae enforces, in one immutable object (in the manner of Jackson's
 * {@code StreamReadConstraints}). Input over a limit is rejected with a
 * {@link LimitExceededException} naming the limit, before any expensive work is done: image
 * dimensions, for instance, are checked from the file header before a single pixel is decoded.
 *
 * <p>Immutable and thread-safe. Start from {@link #defaults()} and change what you need:
 *
 * <pre>{@code
 * Limits limits = Limits.builder().maxImagePixels(20_000_000).build();
 * }</pre>
 *
 * @param maxContentBytes the largest content (file) accepted for hashing, in bytes; default 64 MiB
 * @param maxImagePixels the most pixels of one image decoded into memory; default 64 million. The
 *     image hasher decodes a larger image (up to {@code maxDeclaredImagePixels}) subsampled to
 *     within it where its decoder allows, and rejects it otherwise
 * @param maxImageDimension the largest declared width or height; default 32768
 * @param maxTextChars the longest free text (report text, captions); default 4096
 * @param maxIdChars the longest host id (content, account, room, reporter); default 256
 * @param maxNoticeFields the most fields in one legal notice; default 64
 * @param maxNoticeFieldChars the longest value of one notice field; default 16384
 * @param maxListSize the longest list in one request (e.g. jurisdictions); default 1024
 * @param maxDeclaredImagePixels the largest declared width x height of an image decoded at all:
 *     an image declaring more than {@code maxImagePixels} but no more than this is decoded
 *     subsampled to within {@code maxImagePixels} where its decoder allows (the work still grows
 *     with the declared size); default 256 million. Taken as at least {@code maxImagePixels}
 * @param maxEventLineBytes the longest line of an event stream, in bytes; default 4 MiB
 * @since 0.1
 */
public record Limits(
    long maxContentBytes,
    long maxImagePixels,
    int maxImageDimension,
    int maxTextChars,
    int maxIdChars,
    int maxNoticeFields,
    int maxNoticeFieldChars,
    int maxListSize,
    long maxDeclaredImagePixels,
    int maxEventLineBytes) {

  private static final Limits DEFAULTS = new Builder().build();

  /**
   * Validates.
   *
   * @param maxContentBytes the maxContentBytes component, as described on the record
   * @param maxImagePixels the maxImagePixels component, as described on the record
   * @param maxImageDimension the maxImageDimension component, as described on the record
   * @param maxTextChars the maxTextChars component, as described on the record
   * @param maxIdChars the maxIdChars component, as described on the record
   * @param maxNoticeFields the maxNoticeFields component, as described on the record
   * @param maxNoticeFieldChars the maxNoticeFieldChars component, as described on the record
   * @param maxListSize the maxListSize component, as described on the record
   * @param maxDeclaredImagePixels the maxDeclaredImagePixels component, as described on the record
   * @param maxEventLineBytes the maxEventLineBytes component, as described on the record
   * @throws InvalidRequestException naming the first limit that is not positive
   */
  public Limits {
    positive("limits.maxContentBytes", maxContentBytes);
    positive("limits.maxImagePixels", maxImagePixels);
    positive("limits.maxImageDimension", maxImageDimension);
    positive("limits.maxTextChars", maxTextChars);
    positive("limits.maxIdChars", maxIdChars);
    positive("limits.maxNoticeFields", maxNoticeFields);
    positive("limits.maxNoticeFieldChars", maxNoticeFieldChars);
    positive("limits.maxListSize", maxListSize);
    positive("limits.maxDeclaredImagePixels", maxDeclaredImagePixels);
    positive("limits.maxEventLineBytes", maxEventLineBytes);
  }

  private static void positive(String field, long value) {
    if (value <= 0) {
      throw new InvalidRequestException(field, "must be positive, got " + value);
    }
  }

  /**
   * The documented defaults.
   *
   * @return the shared default limits
   */
  public static Limits defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these limits.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxContentBytes = maxContentBytes;
    b.maxImagePixels = maxImagePixels;
    b.maxImageDimension = maxImageDimension;
    b.maxTextChars = maxTextChars;
    b.maxIdChars = maxIdChars;
    b.maxNoticeFields = maxNoticeFields;
    b.maxNoticeFieldChars = maxNoticeFieldChars;
    b.maxListSize = maxListSize;
    b.maxDeclaredImagePixels = maxDeclaredImagePixels;
    b.maxEventLineBytes = maxEventLineBytes;
    return b;
  }

  /**
   * Checks a text against {@link #maxTextChars()}.
   *
   * @param field the field name for the message
   * @param text the text; may be null (then nothing is checked)
   * @return {@code text}
   * @throws LimitExceededException when the text is longer than the limit
   */
  public String checkText(String field, String text) {
    if (text != null && text.length() > maxTextChars) {
      throw new LimitExceededException(field, maxTextChars, text.length());
    }
    return text;
  }

  /**
   * Mutable builder of {@link Limits}; not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private long maxContentBytes = 64L << 20;
    private long maxImagePixels = 64_000_000L;
    private int maxImageDimension = 32_768;
    private int maxTextChars = 4096;
    private int maxIdChars = 256;
    private int maxNoticeFields = 64;
    private int maxNoticeFieldChars = 16_384;
    private int maxListSize = 1024;
    private long maxDeclaredImagePixels = 256_000_000L;
    private int maxEventLineBytes = 4 << 20;

    private Builder() {}

    /**
     * Sets {@link Limits#maxContentBytes()}.
     *
     * @param v bytes, positive
     * @return this builder
     */
    public Builder maxContentBytes(long v) {
      maxContentBytes = v;
      return this;
    }

    /**
     * Sets {@link Limits#maxImagePixels()}.
     *
     * @param v pixels, positive
     * @return this builder
     */
    public Builder maxImagePixels(long v) {
      maxImagePixels = v;
      return this;
    }

    /**
     * Sets {@link Limits#maxImageDimension()}.
     *
     * @param v pixels, positive
     * @return this builder
     */
    public Builder maxImageDimension(int v) {
      maxImageDimension = v;
      return this;
    }

    /**
     * Sets {@link Limits#maxTextChars()}.
     *
     * @param v characters, positive
     * @return this builder
     */
    public Builder maxTextChars(int v) {
      maxTextChars = v;
      return this;
    }

    /**
     * Sets {@link Limits#maxIdChars()}.
     *
     * @param v characters, positive
     * @return this builder
     */
    public Builder maxIdChars(int v) {
      maxIdChars = v;
      return this;
    }

    /**
     * Sets {@link Limits#maxNoticeFields()}.
     *
     * @param v fields, positive
     * @return this builder
     */
    public Builder maxNoticeFields(int v) {
      maxNoticeFields = v;
      return this;
    }

    /**
     * Sets {@link Limits#maxNoticeFieldChars()}.
     *
     * @param v characters, positive
     * @return this builder
     */
    public Builder maxNoticeFieldChars(int v) {
      maxNoticeFieldChars = v;
      return this;
    }

    /**
     * Sets {@link Limits#maxListSize()}.
     *
     * @param v elements, positive
     * @return this builder
     */
    public Builder maxListSize(int v) {
      maxListSize = v;
      return this;
    }

    /**
     * Sets {@link Limits#maxDeclaredImagePixels()}.
     *
     * @param v pixels, positive
     * @return this builder
     * @since 0.1
     */
    public Builder maxDeclaredImagePixels(long v) {
      maxDeclaredImagePixels = v;
      return this;
    }

    /**
     * Sets {@link Limits#maxEventLineBytes()}.
     *
     * @param v bytes, positive
     * @return this builder
     * @since 0.1
     */
    public Builder maxEventLineBytes(int v) {
      maxEventLineBytes = v;
      return this;
    }

    /**
     * Builds the limits.
     *
     * @return the immutable limits
     * @throws InvalidRequestException naming the first limit that is not positive
     */
    public Limits build() {
      return new Limits(maxContentBytes, maxImagePixels, maxImageDimension, maxTextChars, maxIdChars,
          maxNoticeFields, maxNoticeFieldChars, maxListSize, maxDeclaredImagePixels, maxEventLineBytes);
    }
  }
}
