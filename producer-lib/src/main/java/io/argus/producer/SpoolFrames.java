package io.argus.producer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * An append-only file of framed records: a 4-byte big-endian length, the CRC32 of the bytes, the bytes. A crash in
 * the middle of an append leaves a torn frame at the end; {@link #scan} finds where the whole frames end, so the
 * caller can set the tail aside. Not thread-safe: {@link Spool} serialises access.
 *
 * <p>A {@link FileChannel} closes itself when the calling thread is interrupted during I/O, and a launcher may well
 * interrupt a thread that is in {@code done()}. Every operation here is positional (an append writes at the end of
 * the whole frames, which moves only after success), so it clears the interrupt for the I/O, reopens the channel if
 * an interrupt closed it anyway, repeats the operation, and restores the interrupt.
 */
final class SpoolFrames implements AutoCloseable {

    static final int HEADER_BYTES = 8;
    /** Far above any event; a larger length can only be a torn or damaged header. */
    static final int MAX_RECORD_BYTES = 4 << 20;

    /** One whole record and the file position just past it. */
    record Frame(byte[] bytes, long end) {
    }

    /**
     * What {@link #scan} found: whole frames end at {@code validEnd}; {@code recordsFrom} of them start at or after
     * the position asked about, which is a frame boundary when {@code positionIsBoundary}.
     */
    record Scan(long validEnd, long fileSize, int recordsFrom, boolean positionIsBoundary) {
        boolean hasCorruptTail() {
            return validEnd < fileSize;
        }
    }

    @FunctionalInterface
    private interface Io<T> {
        T run() throws IOException;
    }

    private final Path file;
    private FileChannel channel;
    private long end;

    private SpoolFrames(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (creating) the file; call {@link #scan} before the first append. */
    static SpoolFrames open(Path file) throws IOException {
        return new SpoolFrames(file, openChannel(file));
    }

    /** Walks the frames from the start to find where the whole ones end; appends go there. */
    Scan scan(long position) throws IOException {
        return io(() -> {
            long size = channel.size();
            long at = 0;
            int recordsFrom = 0;
            boolean boundary = position == 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            while (at + HEADER_BYTES <= size) {
                header.clear();
                readFully(header, at);
                int length = header.getInt(0);
                if (length <= 0 || length > MAX_RECORD_BYTES || at + HEADER_BYTES + length > size) {
                    break;
                }
                byte[] bytes = new byte[length];
                readFully(ByteBuffer.wrap(bytes), at + HEADER_BYTES);
                if (crc32(bytes) != header.getInt(4)) {
                    break;
                }
                if (at >= position) {
                    recordsFrom++;
                }
                at += HEADER_BYTES + length;
                boundary |= at == position;
            }
            end = at;
            return new Scan(at, size, recordsFrom, boundary);
        });
    }

    /** Appends whole frames; {@code sync} forces them to the disk before returning. */
    void append(List<byte[]> records, boolean sync) throws IOException {
        int total = 0;
        for (byte[] record : records) {
            total += frameSize(record);
        }
        ByteBuffer frames = ByteBuffer.allocate(total);
        for (byte[] record : records) {
            frames.putInt(record.length).putInt(crc32(record)).put(record);
        }
        end = io(() -> {
            ByteBuffer out = frames.duplicate().flip();
            long at = end;
            while (out.hasRemaining()) {
                at += channel.write(out, at);
            }
            if (sync) {
                channel.force(false);
            }
            return at;
        });
    }

    /** Up to {@code max} frames from {@code position}, which must be a frame boundary. */
    List<Frame> read(long position, int max) throws IOException {
        return io(() -> {
            List<Frame> frames = new ArrayList<>();
            long at = position;
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            while (at < end && frames.size() < max) {
                header.clear();
                readFully(header, at);
                byte[] bytes = new byte[header.getInt(0)];
                readFully(ByteBuffer.wrap(bytes), at + HEADER_BYTES);
                at += HEADER_BYTES + bytes.length;
                frames.add(new Frame(bytes, at));
            }
            return frames;
        });
    }

    /** The bytes from {@code position} to the end of the file, whole frames or not. */
    byte[] tail(long position) throws IOException {
        return io(() -> {
            ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE, channel.size() - position));
            readFully(bytes, position);
            return bytes.array();
        });
    }

    /** Cuts the file at {@code size} (a frame boundary) and syncs. */
    void truncate(long size) throws IOException {
        end = io(() -> {
            channel.truncate(size);
            channel.force(true);
            return size;
        });
    }

    /** Where the next frame goes: the end of the whole frames. */
    long end() {
        return end;
    }

    void sync() throws IOException {
        io(() -> {
            channel.force(false);
            return null;
        });
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    static int frameSize(byte[] record) {
        return HEADER_BYTES + record.length;
    }

    private <T> T io(Io<T> operation) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            return operation.run();
        } catch (ClosedByInterruptException e) {
            interrupted |= Thread.interrupted();
            channel = openChannel(file);
            return operation.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("unexpected end of spool file " + file + " at " + at);
            }
            at += read;
        }
    }

    private static FileChannel openChannel(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static int crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
