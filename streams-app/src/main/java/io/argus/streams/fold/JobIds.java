package io.argus.streams.fold;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.Attribution;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobFailed;
import io.argus.schemas.avro.JobProgress;
import io.argus.schemas.avro.JobStart;
import java.util.Optional;

/** The job an event is about, and which attempt of it, for the five job event types. */
public final class JobIds {

    /** One attempt of one job. */
    private record Ref(String jobId, int attempt) {
    }

    private JobIds() {
    }

    public static Optional<String> of(ArgusEvent event) {
        return ref(event).map(Ref::jobId);
    }

    /** The attempt a job event is about; 0 for other events. */
    static int attemptOf(ArgusEvent event) {
        return ref(event).map(Ref::attempt).orElse(0);
    }

    private static Optional<Ref> ref(ArgusEvent event) {
        Object payload = event.getPayload();
        if (payload instanceof JobStart start) {
            return Optional.of(new Ref(start.getJobId(), start.getAttempt()));
        } else if (payload instanceof JobProgress progress) {
            return Optional.of(new Ref(progress.getJobId(), progress.getAttempt()));
        } else if (payload instanceof JobDone done) {
            return Optional.of(new Ref(done.getJobId(), done.getAttempt()));
        } else if (payload instanceof JobFailed failed) {
            return Optional.of(new Ref(failed.getJobId(), failed.getAttempt()));
        } else if (payload instanceof Attribution attribution) {
            return Optional.of(new Ref(attribution.getJobId(), attribution.getAttempt()));
        }
        return Optional.empty();
    }
}
