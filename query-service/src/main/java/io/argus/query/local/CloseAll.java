package io.argus.query.local;

/** Closes parts in order, each even when an earlier one failed, and reports every failure in one exception. */
final class CloseAll {

    private CloseAll() {
    }

    /** @param failed what went wrong, in words, when any part failed to close; null parts are skipped */
    static void inOrder(String failed, AutoCloseable... parts) {
        RuntimeException failure = null;
        for (AutoCloseable part : parts) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException(failed, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
