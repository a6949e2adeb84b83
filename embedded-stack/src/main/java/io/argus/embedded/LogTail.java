package io.argus.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of a child process's log, to put the real reason for a failed start into the exception message. */
final class LogTail {

    private LogTail() {
    }

    static String lastLines(Path logFile, int lines) {
        try {
            List<String> all = readLines(logFile);
            List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
            return String.join(System.lineSeparator(), tail);
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e + ")";
        }
    }

    /** Reads leniently: a half-written multi-byte character at the end of a live log must not fail the read. */
    static List<String> readLines(Path logFile) throws IOException {
        if (!Files.exists(logFile)) {
            return List.of();
        }
        return new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
    }
}
