package io.argus.producer;

/** A job body threw a checked exception (its cause); it has been reported as the job's failure. */
public final class JobFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    JobFailedException(String jobId, int attempt, Throwable cause) {
        super("job " + jobId + " attempt " + attempt + " failed: " + cause, cause);
    }
}
