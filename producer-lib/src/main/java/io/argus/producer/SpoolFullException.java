package io.argus.producer;

import java.nio.file.Path;

/**
 * The spool holds as many undelivered events as its cap allows and this one does not fit: the backend has been
 * unreachable for long. Raised by {@link JobScope#done} (which must not pretend the result is safe); asynchronous
 * events that do not fit are dropped with an error in the log instead.
 */
public final class SpoolFullException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Path dir;

    SpoolFullException(Path dir, long usedBytes, long maxBytes, int neededBytes) {
        super("the Argus spool " + dir + " is full: " + usedBytes + " of " + maxBytes + " bytes ("
            + ReporterConfig.SPOOL_MAX_BYTES + ") hold undelivered events and this one needs " + neededBytes
            + " more. The backend has been unreachable for a while: fix the connection (the spool drains by itself"
            + " once it is back) or raise " + ReporterConfig.SPOOL_MAX_BYTES);
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }
}
