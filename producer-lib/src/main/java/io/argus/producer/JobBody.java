package io.argus.producer;

/** The work of one job, given its scope for progress and results. */
@FunctionalInterface
public interface JobBody {

    /**
     * Runs the job. Returning normally means success: if the body did not call {@link JobScope#done} itself, it is
     * reported done without metrics. An exception is reported as the job's failure.
     */
    void run(JobScope job) throws Exception;
}
