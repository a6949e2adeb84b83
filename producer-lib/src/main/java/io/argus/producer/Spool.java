package io.argus.producer;

import io.argus.lock.OwnerLock;
import io.argus.schemas.avro.ArgusEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local store of events the backend has not acknowledged, in the order they were handed over. Records are only
 * appended; a position file remembers how far the backend has acknowledged, and the file is emptied once all of it
 * is. A re-sent record keeps its event id, so sending one twice (a crash between the acknowledgement and the
 * position update) changes nothing in Argus.
 *
 * <p>On open, a torn or damaged tail (a crash in the middle of a write) is moved aside to
 * {@code events.spool.corrupt-<millis>} with a warning, and the whole records before it are kept. Thread-safe.
 */
final class Spool implements AutoCloseable {

    static final String EVENTS_FILE = "events.spool";
    /** One Reporter per spool directory: two appending to one file would interleave their frames. */
    static final String LOCK_FILE = "spool.lock";
    static final String POSITION_FILE = "delivered.position";

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

    /** Undelivered events read from the spool, and what to hand {@link #markDelivered} once they are delivered. */
    record Pending(List<ArgusEvent> events, long end, int records) {
    }

    private final Path dir;
    private final long maxBytes;
    private final OwnerLock lock;
    private final SpoolFrames frames;
    private final SpoolCodec codec;
    private long delivered;
    private int pendingRecords;
    private boolean closed;

    private Spool(Path dir, long maxBytes, OwnerLock lock, SpoolFrames frames, SpoolCodec codec, long delivered,
                  int pendingRecords) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.lock = lock;
        this.frames = frames;
        this.codec = codec;
        this.delivered = delivered;
        this.pendingRecords = pendingRecords;
    }

    /** Opens (creating) the spool in {@code dir}, recovering from a crash of the previous owner. */
    static Spool open(Path dir, long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException(ReporterConfig.SPOOL_MAX_BYTES + " must be > 0, got " + maxBytes);
        }
        OwnerLock lock = null;
        SpoolFrames frames = null;
        try {
            Files.createDirectories(dir);
            lock = lock(dir);
            SpoolCodec codec = SpoolCodec.open(dir);
            frames = SpoolFrames.open(dir.resolve(EVENTS_FILE));
            long delivered = readPosition(dir);
            SpoolFrames.Scan scan = frames.scan(delivered);
            if (!scan.positionIsBoundary()) {
                LOG.warn("Spool {}: the delivered position {} is not a record boundary; re-sending everything in it"
                    + " (harmless: events keep their ids)", dir, delivered);
                delivered = 0;
                scan = frames.scan(0);
            }
            if (scan.hasCorruptTail()) {
                setAside(dir, frames, scan);
            }
            if (scan.recordsFrom() > 0) {
                LOG.info("Spool {} holds {} undelivered events from an earlier run; re-sending them in order", dir,
                    scan.recordsFrom());
            }
            return new Spool(dir, maxBytes, lock, frames, codec, delivered, scan.recordsFrom());
        } catch (IOException | RuntimeException e) {
            closeQuietly(frames, lock, e);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot open the Argus spool " + dir + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private static OwnerLock lock(Path dir) throws IOException {
        try {
            return OwnerLock.acquire(dir.resolve(LOCK_FILE));
        } catch (OwnerLock.HeldException e) {
            throw new IllegalStateException("the Argus spool " + dir + " is in use by another Reporter"
                + (e.ownerPid().isPresent() ? " (pid " + e.ownerPid().getAsLong() + ")" : "")
                + ": one Reporter per spool directory; close that one first or set " + ReporterConfig.SPOOL_DIR
                + " to another directory", e);
        }
    }

    /**
     * Appends events in order; with {@code sync} they are on the disk when this returns.
     *
     * @throws SpoolFullException when they would take the spool past its cap (nothing is appended)
     */
    synchronized void append(List<ArgusEvent> events, boolean sync) {
        List<byte[]> records = new ArrayList<>(events.size());
        int bytes = 0;
        for (ArgusEvent event : events) {
            byte[] record = codec.encode(event);
            records.add(record);
            bytes += SpoolFrames.frameSize(record);
        }
        if (frames.end() + bytes > maxBytes) {
            throw new SpoolFullException(dir, frames.end(), maxBytes, bytes);
        }
        try {
            frames.append(records, sync);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the Argus spool " + dir + ": " + e.getMessage(), e);
        }
        pendingRecords += records.size();
    }

    synchronized boolean hasPending() {
        return pendingRecords > 0;
    }

    synchronized int pendingCount() {
        return pendingRecords;
    }

    /** Up to {@code max} undelivered events, oldest first; a record that no longer decodes is skipped loudly. */
    synchronized Pending readPending(int max) {
        try {
            List<SpoolFrames.Frame> read = frames.read(delivered, max);
            List<ArgusEvent> events = new ArrayList<>(read.size());
            for (SpoolFrames.Frame frame : read) {
                try {
                    events.add(codec.decode(frame.bytes()));
                } catch (IOException | RuntimeException e) {
                    LOG.error("Spool {}: skipping a record ending at {} that does not decode: {}", dir, frame.end(),
                        e.toString());
                }
            }
            long end = read.isEmpty() ? delivered : read.get(read.size() - 1).end();
            return new Pending(events, end, read.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Argus spool " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The backend acknowledged {@code pending}; once everything is, the file starts over empty. */
    synchronized void markDelivered(Pending pending) {
        delivered = pending.end();
        pendingRecords -= pending.records();
        try {
            if (delivered == frames.end()) {
                frames.truncate(0);
                delivered = 0;
                Files.deleteIfExists(dir.resolve(POSITION_FILE));
            } else {
                writePosition(delivered);
            }
        } catch (IOException e) {
            // Only progress is lost: the next open re-sends from the older position, and ids make that harmless.
            LOG.warn("Spool {}: cannot record the delivered position {}: {}", dir, delivered, e.toString());
        }
    }

    Path dir() {
        return dir;
    }

    /** Syncs and releases the directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeQuietly(frames, lock, null);
        }
    }

    private void writePosition(long position) throws IOException {
        Path temporary = dir.resolve(POSITION_FILE + ".tmp");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(Long.toString(position).getBytes(StandardCharsets.US_ASCII)));
            out.force(false);
        }
        Files.move(temporary, dir.resolve(POSITION_FILE), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
    }

    private static long readPosition(Path dir) {
        Path file = dir.resolve(POSITION_FILE);
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            long position = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
            return Math.max(0, position);
        } catch (IOException | NumberFormatException e) {
            LOG.warn("Spool {}: unreadable {} ({}); re-sending everything in the spool", dir, POSITION_FILE,
                e.toString());
            return 0;
        }
    }

    /** Moves the torn tail to its own file for inspection and cuts the spool back to its whole records. */
    private static void setAside(Path dir, SpoolFrames frames, SpoolFrames.Scan scan) throws IOException {
        Path aside = dir.resolve(EVENTS_FILE + ".corrupt-" + System.currentTimeMillis());
        Files.write(aside, frames.tail(scan.validEnd()));
        frames.truncate(scan.validEnd());
        LOG.warn("Spool {}: the last {} bytes (from offset {}) are not a whole record, probably a crash during a"
                + " write; moved them to {} and kept the whole records before them", dir,
            scan.fileSize() - scan.validEnd(), scan.validEnd(), aside.getFileName());
    }

    private static void closeQuietly(SpoolFrames frames, OwnerLock lock, Exception failure) {
        try {
            if (frames != null) {
                frames.sync();
                frames.close();
            }
        } catch (IOException e) {
            report(failure, e);
        } finally {
            try {
                if (lock != null) {
                    lock.close();
                }
            } catch (IOException e) {
                report(failure, e);
            }
        }
    }

    private static void report(Exception failure, IOException e) {
        if (failure != null) {
            failure.addSuppressed(e);
        } else {
            LOG.warn("Closing the Argus spool: {}", e.toString());
        }
    }
}
