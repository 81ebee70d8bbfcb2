package dev.haetae.moderation.core.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The binary reader and writer of bank snapshots: big blocks through a file channel, a CRC-32C
 * over every byte before the trailer, and lengths checked against what is left of the file before
 * anything is allocated, so a truncated or corrupt file costs neither an OutOfMemoryError nor a
 * wrong bank.
 */
final class SnapshotIo {
  private static final int BUFFER = 1 << 20;
  /** The longest string a snapshot holds (a bank id, a case id, a reason, a checkpoint). */
  static final int MAX_STRING_BYTES = 1 << 20;

  private SnapshotIo() {}

  /** Writes to a channel, counting the checksum of everything written. */
  static final class Out {
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.BIG_ENDIAN);
    private final CRC32C crc = new CRC32C();

    Out(FileChannel ch) {
      this.ch = ch;
    }

    private void room(int n) throws IOException {
      if (buf.remaining() < n) {
        flush();
      }
    }

    void flush() throws IOException {
      buf.flip();
      crc.update(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      buf.clear();
    }

    void writeByte(int v) throws IOException {
      room(1);
      buf.put((byte) v);
    }

    void writeBoolean(boolean v) throws IOException {
      writeByte(v ? 1 : 0);
    }

    void writeInt(int v) throws IOException {
      room(4);
      buf.putInt(v);
    }

    void writeLong(long v) throws IOException {
      room(8);
      buf.putLong(v);
    }

    void writeDouble(double v) throws IOException {
      writeLong(Double.doubleToRawLongBits(v));
    }

    void writeString(String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      writeInt(b.length);
      for (int off = 0; off < b.length;) {
        room(1);
        int n = Math.min(buf.remaining(), b.length - off);
        buf.put(b, off, n);
        off += n;
      }
    }

    void writeLongs(long[] a, int off, int len) throws IOException {
      while (len > 0) {
        room(8);
        int n = Math.min(buf.remaining() >>> 3, len);
        buf.asLongBuffer().put(a, off, n);
        buf.position(buf.position() + 8 * n);
        off += n;
        len -= n;
      }
    }

    void writeInts(int[] a, int off, int len) throws IOException {
      while (len > 0) {
        room(4);
        int n = Math.min(buf.remaining() >>> 2, len);
        buf.asIntBuffer().put(a, off, n);
        buf.position(buf.position() + 4 * n);
        off += n;
        len -= n;
      }
    }

    void writeBytes(byte[] a, int off, int len) throws IOException {
      while (len > 0) {
        room(1);
        int n = Math.min(buf.remaining(), len);
        buf.put(a, off, n);
        off += n;
        len -= n;
      }
    }

    /** Flushes, then writes the checksum of everything so far (not itself counted). */
    void finish() throws IOException {
      flush();
      buf.putLong(crc.getValue());
      buf.flip();
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      buf.clear();
    }
  }

  /** Reads from a channel, counting the checksum of everything consumed. */
  static final class In {
    private final FileChannel ch;
    private final String name;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.BIG_ENDIAN);
    private final CRC32C crc = new CRC32C();
    /** Bytes of the file not yet consumed (in the buffer or after it). */
    private long left;
    /** The position in the buffer up to which consumed bytes were counted in the checksum. */
    private int counted;

    In(FileChannel ch, String name) throws IOException {
      this.ch = ch;
      this.name = name;
      this.left = ch.size();
      buf.limit(0);
    }

    BankSnapshotException corrupt(String problem) {
      return new BankSnapshotException(name, problem);
    }

    /** Bytes not yet consumed. */
    long left() {
      return left;
    }

    /** Ensures {@code n <= BUFFER} bytes are in the buffer, or fails as truncated. */
    private void need(int n) throws IOException {
      if (left < n) {
        throw corrupt("truncated: " + n + " more bytes needed, " + left + " left");
      }
      if (buf.remaining() >= n) {
        return;
      }
      crc.update(buf.array(), counted, buf.position() - counted);
      buf.compact();
      while (buf.position() < n) {
        if (ch.read(buf) < 0) {
          throw corrupt("truncated while reading");
        }
      }
      buf.flip();
      counted = 0;
    }

    private void consumed(int n) {
      left -= n;
    }

    /** Checks that {@code count} items of at least {@code minBytes} each can still be in the file. */
    int count(long count, long minBytes, String what) {
      if (count < 0 || count > Integer.MAX_VALUE - 8 || count * minBytes > left) {
        throw corrupt(what + ": " + count + " items do not fit the " + left + " bytes left");
      }
      return (int) count;
    }

    int readByte() throws IOException {
      need(1);
      consumed(1);
      return buf.get();
    }

    boolean readBoolean() throws IOException {
      int b = readByte();
      if (b != 0 && b != 1) {
        throw corrupt("a flag holds " + b);
      }
      return b == 1;
    }

    int readInt() throws IOException {
      need(4);
      consumed(4);
      return buf.getInt();
    }

    long readLong() throws IOException {
      need(8);
      consumed(8);
      return buf.getLong();
    }

    double readDouble() throws IOException {
      return Double.longBitsToDouble(readLong());
    }

    String readString(String what) throws IOException {
      int n = readInt();
      if (n < 0 || n > MAX_STRING_BYTES || n > left) {
        throw corrupt(what + ": a string of " + n + " bytes");
      }
      byte[] b = new byte[n];
      for (int off = 0; off < n;) {
        need(1);
        int k = Math.min(buf.remaining(), n - off);
        buf.get(b, off, k);
        consumed(k);
        off += k;
      }
      return new String(b, StandardCharsets.UTF_8);
    }

    void readLongs(long[] a, int off, int len) throws IOException {
      if (8L * len > left) {
        throw corrupt("truncated: " + len + " words needed, " + left + " bytes left");
      }
      while (len > 0) {
        need(8);
        int n = Math.min(buf.remaining() >>> 3, len);
        buf.asLongBuffer().get(a, off, n);
        buf.position(buf.position() + 8 * n);
        consumed(8 * n);
        off += n;
        len -= n;
      }
    }

    void readInts(int[] a, int off, int len) throws IOException {
      if (4L * len > left) {
        throw corrupt("truncated: " + len + " ints needed, " + left + " bytes left");
      }
      while (len > 0) {
        need(4);
        int n = Math.min(buf.remaining() >>> 2, len);
        buf.asIntBuffer().get(a, off, n);
        buf.position(buf.position() + 4 * n);
        consumed(4 * n);
        off += n;
        len -= n;
      }
    }

    void readBytes(byte[] a, int off, int len) throws IOException {
      if (len > left) {
        throw corrupt("truncated: " + len + " bytes needed, " + left + " left");
      }
      while (len > 0) {
        need(1);
        int n = Math.min(buf.remaining(), len);
        buf.get(a, off, n);
        consumed(n);
        off += n;
        len -= n;
      }
    }

    /** Reads the trailer and checks it against the checksum of everything read, and that nothing follows. */
    void finish() throws IOException {
      if (left != 8) {
        throw corrupt(left < 8 ? "truncated: the checksum is missing" : (left - 8) + " unexpected bytes before the checksum");
      }
      need(8);
      crc.update(buf.array(), counted, buf.position() - counted);
      long expected = crc.getValue();
      long stored = buf.getLong();
      consumed(8);
      if (stored != expected) {
        throw corrupt("checksum mismatch: stored " + Long.toHexString(stored) + ", computed "
            + Long.toHexString(expected));
      }
    }
  }
}
