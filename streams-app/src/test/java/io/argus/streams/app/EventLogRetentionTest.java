package io.argus.streams.app;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** History reads the event log back: a log that compacts or expires records is refused, with how to fix it. */
@ExtendWith(RealKafkaAndRegistry.class)
class EventLogRetentionTest {

    private final SharedTestStack stack;

    EventLogRetentionTest(SharedTestStack stack) {
        this.stack = stack;
    }

    @Test
    void aLogKeptForeverIsAcceptedAndOneThatCompactsOrExpiresIsRefused() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.kafka().bootstrapServers()))) {
            String forever = topic(admin, Map.of("retention.ms", "-1", "retention.bytes", "-1"));
            String compacted = topic(admin, Map.of("cleanup.policy", "compact,delete", "retention.ms", "-1"));
            String expiring = topic(admin, Map.of("retention.ms", "604800000"));

            assertThatCode(() -> TopicSetup.requireKeptForever(admin, forever)).doesNotThrowAnyException();
            assertThatThrownBy(() -> TopicSetup.requireKeptForever(admin, compacted))
                .hasMessageContaining("Argus refuses to start")
                .hasMessageContaining("cleanup.policy=compact,delete (must be delete)")
                .hasMessageContaining("kafka-configs.sh --alter");
            assertThatThrownBy(() -> TopicSetup.requireKeptForever(admin, expiring))
                .hasMessageContaining("retention.ms=604800000 (must be -1)");
        }
    }

    private static String topic(Admin admin, Map<String, String> config) throws Exception {
        String name = TestNames.unique("retention");
        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(config))).all().get();
        return name;
    }
}
