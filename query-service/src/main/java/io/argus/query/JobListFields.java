package io.argus.query;

import com.fasterxml.jackson.core.JsonGenerator;
import io.argus.streams.view.JobView;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The fields of a job in the jobs list, all of them or those a client names ({@code fields=job_id,status}), written
 * straight from the view's accessors. The list can hold 100,000 jobs, and a picture that needs four fields should
 * not pay for twelve; writing by hand also skips Jackson's reflective bean serialisation, which dominated the first
 * answer of a fresh process. All fields together write exactly what {@code ViewJson.write(view)} writes.
 */
final class JobListFields {

    /** A field of the list form, in the order written. */
    enum Field {
        JOB_ID("job_id") {
            @Override
            void write(JsonGenerator json, JobView job) throws IOException {
                json.writeString(job.jobId());
            }
        },
        STATUS("status") {
            @Override
            void write(JsonGenerator json, JobView job) throws IOException {
                json.writeString(job.status());
            }
        },
        PARAMS("params") {
            @Override
            void write(JsonGenerator json, JobView job) throws IOException {
                json.writeStartObject();
                for (Map.Entry<String, String> param : sorted(job.params()).entrySet()) {
                    json.writeStringField(param.getKey(), param.getValue());
                }
                json.writeEndObject();
            }
        },
        ATTEMPT("attempt") {
            @Override
            void write(JsonGenerator json, JobView job) throws IOException {
                json.writeNumber(job.attempt());
            }
        },
        STARTED_AT("started_at") {
            @Override
            void write(JsonGenerator json, JobView job) throws IOException {
                json.writeString(job.startedAt());
            }
        },
        FINISHED_AT("finished_at") {
            @Override
            void write(JsonGenerator json, JobView job) throws IOException {
                json.writeString(job.finishedAt());
            }
        },
        STEP("step") {
            @Override
            void write(JsonGenerator json, JobView job) throws IOException {
                if (job.step() == null) {
                    json.writeNull();
                } else {
                    json.writeNumber(job.step());
                }
            }
        },
        PROGRESS_METRICS("progress_metrics") {
            @Override
            void write(JsonGenerator json, JobView job) throws IOException {
                writeNumbers(json, job.progressMetrics());
            }
        },
        METRICS("metrics") {
            @Override
            void write(JsonGenerator json, JobView job) throws IOException {
                writeNumbers(json, job.metrics());
            }
        },
        RESULT("result") {
            @Override
            void write(JsonGenerator json, JobView job) throws IOException {
                json.writeString(job.result());
            }
        },
        OUTPUT_URI("output_uri") {
            @Override
            void write(JsonGenerator json, JobView job) throws IOException {
                json.writeString(job.outputUri());
            }
        },
        LAST_ERROR("last_error") {
            @Override
            void write(JsonGenerator json, JobView job) throws IOException {
                if (job.lastError() == null) {
                    json.writeNull();
                } else {
                    json.writeStartObject();
                    json.writeStringField("error_type", job.lastError().errorType());
                    json.writeStringField("message", job.lastError().message());
                    json.writeEndObject();
                }
            }
        },
        ATTEMPTS("attempts") {
            @Override
            void write(JsonGenerator json, JobView job) throws IOException {
                json.writeStartArray();
                for (JobView.AttemptView attempt : job.attempts()) {
                    json.writeStartObject();
                    json.writeNumberField("attempt", attempt.attempt());
                    json.writeStringField("started_at", attempt.startedAt());
                    json.writeStringField("ended_at", attempt.endedAt());
                    json.writeStringField("outcome", attempt.outcome());
                    json.writeStringField("error_type", attempt.errorType());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
        };

        private final String jsonName;

        Field(String jsonName) {
            this.jsonName = jsonName;
        }

        String jsonName() {
            return jsonName;
        }

        /** Writes the value (the name is written by the caller); {@code writeString(null)} writes null. */
        abstract void write(JsonGenerator json, JobView job) throws IOException;
    }

    static final JobListFields ALL = new JobListFields(EnumSet.allOf(Field.class));

    private final Set<Field> chosen;

    private JobListFields(Set<Field> chosen) {
        this.chosen = chosen;
    }

    /** {@code fields} is a comma-separated list of field names; absent means every field. */
    static JobListFields parse(String fields) {
        if (fields == null) {
            return ALL;
        }
        Set<Field> chosen = EnumSet.noneOf(Field.class);
        for (String name : fields.split(",", -1)) {
            chosen.add(Arrays.stream(Field.values()).filter(f -> f.jsonName().equals(name.trim())).findFirst()
                .orElseThrow(() -> ApiException.badRequest("fields must be a comma-separated list of "
                    + Arrays.stream(Field.values()).map(Field::jsonName).collect(Collectors.joining(", "))
                    + "; got '" + name.trim() + "'")));
        }
        return new JobListFields(chosen);
    }

    /** One job as a JSON object of the chosen fields, in the list form's order. */
    void write(JsonGenerator json, JobView job) throws IOException {
        json.writeStartObject();
        for (Field field : chosen) {
            json.writeFieldName(field.jsonName());
            field.write(json, job);
        }
        json.writeEndObject();
    }

    private static void writeNumbers(JsonGenerator json, Map<String, Double> numbers) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, Double> number : sorted(numbers).entrySet()) {
            json.writeNumberField(number.getKey(), number.getValue());
        }
        json.writeEndObject();
    }

    /** Map entries in key order, as {@code ViewJson} writes them: stored maps are sorted already. */
    private static <V> SortedMap<String, V> sorted(Map<String, V> map) {
        return map instanceof SortedMap<String, V> sortedMap ? sortedMap : new TreeMap<>(map);
    }
}
