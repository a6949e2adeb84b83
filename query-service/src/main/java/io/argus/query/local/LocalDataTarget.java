package io.argus.query.local;

import io.argus.streams.app.CommandTarget;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code rebuild} and {@code verify} of {@code argus.jar} on the local Argus's data, when nothing names another
 * Kafka: while the local Argus runs, against its broker and registry ({@value LocalEndpoints#FILE} says where);
 * otherwise against the local stack started on the data directory for the command and stopped after it. A rebuild's
 * state goes to the data directory's {@code streams/} like the service's, under its own application id.
 */
public final class LocalDataTarget {

    private LocalDataTarget() {
    }

    /** Tells {@code status} which stack it uses, and what it starts and stops. */
    public static CommandTarget open(Map<String, String> environment, CommandTarget.Needs needs, PrintStream status) {
        Path dataDir = LocalArgus.dataDir(environment, Path.of(""));
        if (!Files.isDirectory(dataDir.resolve(LocalStack.KAFKA_DIR))) {
            throw new IllegalArgumentException("no Kafka configured ("
                + String.join(", ", LocalArgus.EXTERNAL_STACK_ENV) + " or --config) and no local Argus data in "
                + dataDir + " (" + LocalArgus.DATA_DIR_ENV + ")");
        }
        LocalStack stack;
        try {
            stack = LocalStack.startKafka(dataDir, LocalArgus.kafkaPort(environment));
        } catch (LocalArgus.AlreadyRunningException running) {
            LocalEndpoints endpoints = LocalEndpoints.of(dataDir, running.ownerPid());
            if (needs == CommandTarget.Needs.KAFKA_AND_REGISTRY && endpoints.registryUrl().isEmpty()) {
                throw new IllegalStateException("Argus on " + dataDir + " (pid " + endpoints.pid()
                    + ") runs without its registry yet: wait until it has started and try again");
            }
            status.println("Using the local Argus running on " + dataDir + " (pid " + endpoints.pid() + "): Kafka "
                + endpoints.bootstrapServers() + endpoints.registryUrl().map(url -> ", registry " + url).orElse(""));
            return new CommandTarget(LocalStack.config(environment, dataDir, endpoints), () -> { });
        }
        try {
            status.println("Started the local Kafka on " + dataDir + " (" + stack.endpoints().bootstrapServers() + ")");
            if (needs == CommandTarget.Needs.KAFKA_AND_REGISTRY) {
                stack.startRegistry(LocalStack.registryDistribution());
                status.println("Started the local registry (" + stack.endpoints().registryUrl().orElseThrow() + ")");
            }
            String started = needs == CommandTarget.Needs.KAFKA_AND_REGISTRY ? "Kafka and registry" : "Kafka";
            return new CommandTarget(LocalStack.config(environment, dataDir, stack.endpoints()), () -> {
                status.println("Stopping the local " + started);
                stack.close();
            });
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }
}
