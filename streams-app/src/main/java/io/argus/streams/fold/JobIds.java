package io.argus.streams.fold;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.Attribution;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobFailed;
import io.argus.schemas.avro.JobProgress;
import io.argus.schemas.avro.JobStart;
import java.util.Optional;

/** The job an event is about, for the five job event types. */
public final class JobIds {

    private JobIds() {
    }

    public static Optional<String> of(ArgusEvent event) {
        Object payload = event.getPayload();
        if (payload instanceof JobStart start) {
            return Optional.of(start.getJobId());
        } else if (payload instanceof JobProgress progress) {
            return Optional.of(progress.getJobId());
        } else if (payload instanceof JobDone done) {
            return Optional.of(done.getJobId());
        } else if (payload instanceof JobFailed failed) {
            return Optional.of(failed.getJobId());
        } else if (payload instanceof Attribution attribution) {
            return Optional.of(attribution.getJobId());
        }
        return Optional.empty();
    }

    /** The attempt a job event is about; 0 for other events. */
    static int attemptOf(ArgusEvent event) {
        Object payload = event.getPayload();
        if (payload instanceof JobStart start) {
            return start.getAttempt();
        } else if (payload instanceof JobProgress progress) {
            return progress.getAttempt();
        } else if (payload instanceof JobDone done) {
            return done.getAttempt();
        } else if (payload instanceof JobFailed failed) {
            return failed.getAttempt();
        } else if (payload instanceof Attribution attribution) {
            return attribution.getAttempt();
        }
        return 0;
    }
}
