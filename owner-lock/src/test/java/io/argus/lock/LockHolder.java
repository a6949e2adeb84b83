package io.argus.lock;

import java.nio.file.Path;

/** A child JVM that takes the lock named by its argument, says so on stdout and holds it until it is killed. */
public final class LockHolder {

    static final String LOCKED = "locked";

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (OwnerLock lock = OwnerLock.acquire(Path.of(args[0]))) {
            System.out.println(LOCKED);
            System.out.flush();
            // Holds the lock until stdin closes or the process is killed: the test kills it.
            while (System.in.read() != -1) {
                continue;
            }
        }
    }
}
