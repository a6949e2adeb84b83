package io.argus.query;

import io.argus.streams.state.LoggedType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a page of a batch's events may be narrowed to: some event types (empty: every type) and one job.
 *
 * @param types the types to keep, by the index alone; empty keeps every type
 * @param jobId the job to keep; events without a job are dropped when it is given
 */
record EventFilter(Set<LoggedType> types, Optional<String> jobId) {

    static final EventFilter NONE = new EventFilter(Set.of(), Optional.empty());

    boolean narrows() {
        return !types.isEmpty() || jobId.isPresent();
    }

    /** {@code type} is a comma-separated list of event types (wire names), {@code job_id} one job's id. */
    static EventFilter parse(String type, String jobId) {
        Set<LoggedType> types = EnumSet.noneOf(LoggedType.class);
        if (type != null && !type.isBlank()) {
            for (String name : type.split(",")) {
                types.add(Arrays.stream(LoggedType.values()).filter(t -> t.name().equals(name.trim())).findFirst()
                    .orElseThrow(() -> ApiException.badRequest("type must be a comma-separated list of "
                        + Arrays.stream(LoggedType.values()).map(Enum::name).collect(Collectors.joining(", "))
                        + "; got '" + name.trim() + "'")));
            }
        }
        if (jobId != null && jobId.isEmpty()) {
            throw ApiException.badRequest("job_id must not be empty");
        }
        return new EventFilter(types, Optional.ofNullable(jobId));
    }
}
