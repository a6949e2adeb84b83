package io.argus.teststack;

import java.util.Set;

import io.argus.embedded.ApicurioRegistry;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class the JVM's shared real Kafka cluster and schema registry:
 * <pre>{@code
 * @ExtendWith(RealKafkaAndRegistry.class)
 * class MyTest {
 *     MyTest(EmbeddedKafkaCluster kafka, ApicurioRegistry registry) { ... }
 * }
 * }</pre>
 * Injects {@link SharedTestStack}, {@link EmbeddedKafkaCluster} and {@link ApicurioRegistry} into constructors,
 * test methods and lifecycle methods. The stack is kept in the root context's store, which closes it once, when
 * the whole test run ends.
 */
public final class RealKafkaAndRegistry implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RealKafkaAndRegistry.class);
    private static final Set<Class<?>> INJECTABLE =
            Set.of(SharedTestStack.class, EmbeddedKafkaCluster.class, ApicurioRegistry.class);

    /** Starts the stack before the class's tests, so its start-up is not charged to the first test. */
    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return INJECTABLE.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        SharedTestStack stack = stack(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == EmbeddedKafkaCluster.class) {
            return stack.kafka();
        }
        if (type == ApicurioRegistry.class) {
            return stack.registry();
        }
        return stack;
    }

    /** The root store closes AutoCloseable values when the test plan finishes (JUnit 5.13+). */
    public static SharedTestStack stack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedTestStack.class, key -> SharedTestStack.get(), SharedTestStack.class);
    }
}
