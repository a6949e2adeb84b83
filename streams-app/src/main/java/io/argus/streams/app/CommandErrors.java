package io.argus.streams.app;

import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;

/**
 * Prints a command's failure as one line and exits with {@value #EXIT_CODE}, as picocli does for a usage error: a
 * wrong setting, an unknown application id or an unreachable cluster is for the user to fix, and a stack trace
 * would hide the message. Anything else is a bug and keeps its stack trace.
 */
public final class CommandErrors implements CommandLine.IExecutionExceptionHandler {

    public static final int EXIT_CODE = 2;

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, CommandLine.ParseResult parsed)
        throws Exception {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
            && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (!(cause instanceof IllegalArgumentException || cause instanceof IllegalStateException
            || cause instanceof KafkaException || cause instanceof UncheckedIOException)) {
            throw failure;
        }
        command.getErr().println(command.getCommandName() + ": " + cause.getMessage());
        command.getErr().flush();
        return EXIT_CODE;
    }
}
