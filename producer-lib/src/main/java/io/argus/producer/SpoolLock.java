package io.argus.producer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One Reporter per spool directory: two appending to one file would interleave their frames. An OS lock, so a
 * process that dies (even by {@code kill -9}) leaves no stale lock; the pid inside is only for the message.
 */
final class SpoolLock implements AutoCloseable {

    static final String FILE = "spool.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private SpoolLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static SpoolLock acquire(Path dir) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            lock = null;
        }
        if (lock == null) {
            String owner = readOwner(channel);
            channel.close();
            throw new IllegalStateException("the Argus spool " + dir + " is in use by another Reporter"
                + (owner.isEmpty() ? "" : " (pid " + owner + ")") + ": one Reporter per spool directory; close"
                + " that one first or set " + ReporterConfig.SPOOL_DIR + " to another directory");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new SpoolLock(channel, lock);
    }

    private static String readOwner(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
    }

    /** The lock file stays: deleting it would let another process lock a different file of the same name. */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
