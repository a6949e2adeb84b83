package io.argus.lock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One owner for a directory (a spool, a broker's data): an exclusive OS lock on a file in it, with the owner's pid
 * inside. The OS drops the lock when its process dies, even by {@code kill -9}, so a crash never leaves a stale lock:
 * the file a dead owner left behind, pid and all, is simply locked again. The pid is only read to name a live owner
 * in a message.
 */
public final class OwnerLock implements AutoCloseable {

    /**
     * The files this JVM holds. The OS lock belongs to the process, and on Linux closing any channel on the file
     * drops it: a refused second owner must not even open the file, or it would free it for other processes.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path heldAs;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private OwnerLock(Path heldAs, FileChannel channel, FileLock lock) {
        this.heldAs = heldAs;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code file} (creating it) and writes this process's pid into it.
     *
     * @throws HeldException when another process, or another owner in this JVM, holds the lock
     * @throws IOException when the file cannot be opened, locked or written
     */
    public static OwnerLock acquire(Path file) throws IOException {
        Path heldAs = file.toAbsolutePath().getParent().toRealPath().resolve(file.getFileName());
        if (!HELD_HERE.add(heldAs)) {
            throw new HeldException(file, OptionalLong.of(ProcessHandle.current().pid()));
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(heldAs, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new HeldException(file, readPid(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                0);
            return new OwnerLock(heldAs, channel, lock);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(channel, e);
            HELD_HERE.remove(heldAs);
            throw e;
        }
    }

    /** Null when another process holds it (or, outside this class, this JVM). */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            return null;
        }
    }

    /** The owner's pid, when the file holds one; the owner may be between truncating and writing it. */
    private static OptionalLong readPid(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static void closeAfterFailure(FileChannel channel, Exception failure) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Releases the lock. Idempotent. The file stays: deleting it would let a third process lock a new file. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
            HELD_HERE.remove(heldAs);
        }
    }

    /** Another process, or another owner in this JVM, holds the lock. */
    public static final class HeldException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        private final transient Path file;
        private final transient OptionalLong ownerPid;

        HeldException(Path file, OptionalLong ownerPid) {
            super(file + " is locked by another owner" + (ownerPid.isPresent() ? " (pid " + ownerPid.getAsLong() + ")"
                : ""));
            this.file = file;
            this.ownerPid = ownerPid;
        }

        public Path file() {
            return file;
        }

        /** The pid the owner wrote into the file, when it could be read. */
        public OptionalLong ownerPid() {
            return ownerPid;
        }
    }
}
