package io.argus.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class CommandErrorsTest {

    private final StringWriter err = new StringWriter();

    @Test
    void aMistakeTheUserCanFixIsOneLineAndExitCode2() {
        int exit = run(() -> {
            throw new IllegalArgumentException("no changelog topic x-jobs-changelog: is the application id right?");
        });

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("failing: no changelog topic x-jobs-changelog: is the application id "
            + "right?" + System.lineSeparator());
    }

    @Test
    void aKafkaFailureInsideAFutureIsOneLineToo() {
        int exit = run(() -> {
            throw new ExecutionException(new TimeoutException("Timed out waiting for a node assignment."));
        });

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("failing: Timed out waiting for a node assignment.")
            .doesNotContain("\tat ");
    }

    @Test
    void aBugKeepsItsStackTrace() {
        int exit = run(() -> {
            throw new NullPointerException("a bug");
        });

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("NullPointerException: a bug", "\tat ");
    }

    private int run(Callable<Integer> body) {
        return new CommandLine(new Failing(body)).setErr(new PrintWriter(err, true))
            .setExecutionExceptionHandler(new CommandErrors()).execute();
    }

    @Command(name = "failing")
    private static final class Failing implements Callable<Integer> {
        private final Callable<Integer> body;

        Failing(Callable<Integer> body) {
            this.body = body;
        }

        @Override
        public Integer call() throws Exception {
            return body.call();
        }
    }
}
