package io.argus.query.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.query.QueryConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders k8s/overlays/dev and k8s/overlays/prod (with {@link Kustomize}, no binary needed), reads every document
 * into its typed fabric8 or Strimzi model (an unknown field fails), and checks the deployment against what the
 * service documents: environment variable names against the configuration tables of streams-app/README.md and
 * query-service/README.md (and QueryConfig), ports, probes on real routes, references between objects, topics,
 * and the differences between the overlays.
 */
class K8sManifestsTest {

    private static final Path ROOT = projectRoot();
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
        "v1/Namespace", Namespace.class,
        "v1/ConfigMap", ConfigMap.class,
        "v1/Secret", Secret.class,
        "v1/Service", Service.class,
        "apps/v1/StatefulSet", StatefulSet.class,
        "apps/v1/Deployment", Deployment.class,
        "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
        "kafka.strimzi.io/v1/Kafka", Kafka.class,
        "kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class,
        "kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class);
    /** Variables that are not Argus settings: the downward API ones ARGUS_APPLICATION_SERVER expands, the JVM's. */
    private static final Set<String> NON_ARGUS_VARIABLES = Set.of("POD_NAME", "NAMESPACE", "JAVA_TOOL_OPTIONS");
    private static final String KAFKA_PASSTHROUGH = "ARGUS_KAFKA_";

    /** One rendered overlay: its documents as typed objects. */
    record Rendered(String overlay, List<HasMetadata> objects) {

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            List<T> found = all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
            assertThat(found).as("%s: %s %s", overlay, type.getSimpleName(), name).hasSize(1);
            return found.get(0);
        }

        boolean has(Class<? extends HasMetadata> type, String name) {
            return all(type).stream().anyMatch(o -> o.getMetadata().getName().equals(name));
        }

        StatefulSet argus() {
            return one(StatefulSet.class, "argus");
        }

        Container argusContainer() {
            return container(argus().getSpec().getTemplate(), "argus");
        }

        /** The container's environment as Kubernetes builds it: envFrom first, env over it. */
        Map<String, EnvVar> environment(PodTemplateSpec template, Container container) {
            Map<String, EnvVar> environment = new LinkedHashMap<>();
            container.getEnvFrom().forEach(source -> {
                assertThat(source.getConfigMapRef()).as("envFrom uses ConfigMaps only").isNotNull();
                one(ConfigMap.class, source.getConfigMapRef().getName()).getData()
                    .forEach((name, value) -> environment.put(name, new EnvVar(name, value, null)));
            });
            container.getEnv().forEach(variable -> environment.put(variable.getName(), variable));
            return environment;
        }

        String value(String variable) {
            EnvVar env = environment(argus().getSpec().getTemplate(), argusContainer()).get(variable);
            assertThat(env).as("%s: %s is set", overlay, variable).isNotNull();
            return env.getValue();
        }
    }

    static Rendered render(String overlay) {
        List<HasMetadata> objects = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (ObjectNode document : Kustomize.render(ROOT.resolve("k8s/overlays").resolve(overlay))) {
            String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
            Class<? extends HasMetadata> modelClass = KINDS.get(type);
            assertThat(modelClass).as("%s: a model for %s", overlay, type).isNotNull();
            HasMetadata object;
            try {
                object = JSON.treeToValue(document, modelClass);
            } catch (IOException e) {
                throw new AssertionError(overlay + ": " + type + " " + Kustomize.name(document) + " does not parse: " + e, e);
            }
            assertNoUnknownFields(object, type + " " + object.getMetadata().getName(), new IdentityHashMap<>());
            assertThat(seen.add(type + "/" + object.getMetadata().getName())).as("%s: %s once", overlay, type).isTrue();
            objects.add(object);
        }
        return new Rendered(overlay, objects);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyDocumentIsATypedObjectInTheOverlaysNamespace(String overlay) {
        Rendered rendered = render(overlay);
        String namespace = rendered.all(Namespace.class).get(0).getMetadata().getName();
        assertThat(rendered.all(Namespace.class)).hasSize(1);
        assertThat(rendered.objects()).filteredOn(o -> !(o instanceof Namespace))
            .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(namespace));
        assertThat(rendered.all(KafkaTopic.class)).extracting(t -> t.getSpec().getTopicName())
            .contains("argus.events", "argus.events.dlq", "argus.batch-views");
        assertThat(rendered.argusContainer().getImage()).startsWith("registry.example.com/argus/argus:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void environmentVariablesAreDocumentedConfigurationKeys(String overlay) throws Exception {
        Rendered rendered = render(overlay);
        Set<String> documented = documentedEnvironmentVariables();
        Set<String> inCode = QueryConfig.environmentVariables();
        Set<String> kafkaSettings = StreamsConfig.configDef().names();
        Map<String, EnvVar> environment = rendered.environment(rendered.argus().getSpec().getTemplate(), rendered.argusContainer());
        for (String name : environment.keySet()) {
            if (NON_ARGUS_VARIABLES.contains(name)) {
                continue;
            }
            // A variable QueryConfig names, or a Kafka passthrough.
            if (inCode.contains(name)) {
                assertThat(documented).as("%s is in a README configuration table", name).contains(name);
            } else {
                assertThat(name).as("%s is a documented variable or a Kafka passthrough", name).startsWith(KAFKA_PASSTHROUGH);
                String setting = name.substring(KAFKA_PASSTHROUGH.length()).toLowerCase().replace('_', '.');
                assertThat(kafkaSettings).as("%s passes %s, a Kafka Streams setting", name, setting).contains(setting);
            }
        }
        assertThat(environment).containsKeys("ARGUS_KAFKA_BOOTSTRAP", "ARGUS_REGISTRY_URL", "ARGUS_STATE_DIR",
            "ARGUS_APPLICATION_ID", "ARGUS_APPLICATION_SERVER", "ARGUS_HTTP_HOST", "ARGUS_HTTP_PORT", "ARGUS_API_TOKEN",
            "ARGUS_KAFKA_NUM_STANDBY_REPLICAS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void applicationServerIsThePodsStableNameOnTheHttpPort(String overlay) {
        Rendered rendered = render(overlay);
        StatefulSet argus = rendered.argus();
        Container container = rendered.argusContainer();
        int port = Integer.parseInt(rendered.value("ARGUS_HTTP_PORT"));
        assertThat(rendered.value("ARGUS_HTTP_HOST")).isEqualTo("0.0.0.0");
        assertThat(containerPort(container, "http")).isEqualTo(port);

        // Dependent expansion: $(POD_NAME) and $(NAMESPACE) are env entries defined before the one that uses them.
        List<String> order = container.getEnv().stream().map(EnvVar::getName).toList();
        assertThat(order.indexOf("POD_NAME")).isNotNegative().isLessThan(order.indexOf("ARGUS_APPLICATION_SERVER"));
        assertThat(order.indexOf("NAMESPACE")).isNotNegative().isLessThan(order.indexOf("ARGUS_APPLICATION_SERVER"));
        Map<String, EnvVar> environment = rendered.environment(argus.getSpec().getTemplate(), container);
        assertThat(environment.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(environment.get("NAMESPACE").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        String headless = argus.getSpec().getServiceName();
        assertThat(rendered.value("ARGUS_APPLICATION_SERVER"))
            .isEqualTo("$(POD_NAME)." + headless + ".$(NAMESPACE).svc.cluster.local:" + port);

        Service service = rendered.one(Service.class, headless);
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getPort).contains(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void probesAndScrapingUseTheServicesRealEndpoints(String overlay) throws IOException {
        Rendered rendered = render(overlay);
        Container container = rendered.argusContainer();
        int port = Integer.parseInt(rendered.value("ARGUS_HTTP_PORT"));
        String routes = Files.readString(ROOT.resolve("query-service/src/main/java/io/argus/query/ArgusHttp.java"));
        for (String route : List.of("/readyz", "/healthz", "/metrics")) {
            assertThat(routes).as("ArgusHttp serves %s", route).contains("config.routes.get(\"" + route + "\"");
        }
        HTTPGetAction readiness = container.getReadinessProbe().getHttpGet();
        HTTPGetAction liveness = container.getLivenessProbe().getHttpGet();
        assertThat(readiness.getPath()).isEqualTo("/readyz");
        assertThat(liveness.getPath()).isEqualTo("/healthz");
        assertThat(portNumber(container, readiness.getPort())).isEqualTo(port);
        assertThat(portNumber(container, liveness.getPort())).isEqualTo(port);

        Map<String, String> annotations = rendered.argus().getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
            .containsEntry("prometheus.io/port", String.valueOf(port)).containsEntry("prometheus.io/path", "/metrics");

        Service clients = rendered.one(Service.class, "argus");
        assertThat(clients.getSpec().getClusterIP()).isNull();
        for (ServicePort servicePort : clients.getSpec().getPorts()) {
            assertThat(portNumber(container, servicePort.getTargetPort())).isEqualTo(port);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyReferencedSecretConfigMapAndServiceExists(String overlay) throws IOException {
        Rendered rendered = render(overlay);
        String operations = Files.readString(ROOT.resolve("docs/operations.md"));
        List<PodTemplateSpec> templates = new ArrayList<>();
        rendered.all(StatefulSet.class).forEach(s -> templates.add(s.getSpec().getTemplate()));
        rendered.all(Deployment.class).forEach(d -> templates.add(d.getSpec().getTemplate()));
        for (PodTemplateSpec template : templates) {
            for (Container container : template.getSpec().getContainers()) {
                for (EnvVar variable : rendered.environment(template, container).values()) {
                    if (variable.getValueFrom() == null) {
                        continue;
                    }
                    var secretRef = variable.getValueFrom().getSecretKeyRef();
                    if (secretRef != null) {
                        if (rendered.has(Secret.class, secretRef.getName())) {
                            Secret secret = rendered.one(Secret.class, secretRef.getName());
                            Set<String> keys = new TreeSet<>();
                            if (secret.getData() != null) keys.addAll(secret.getData().keySet());
                            if (secret.getStringData() != null) keys.addAll(secret.getStringData().keySet());
                            assertThat(keys).as("%s: secret %s", overlay, secretRef.getName()).contains(secretRef.getKey());
                        } else {
                            // Created by hand before the first apply, never kept in git: operations.md says how.
                            assertThat(operations).as("%s: docs/operations.md creates secret %s", overlay, secretRef.getName())
                                .containsPattern("kubectl .*create secret generic " + Pattern.quote(secretRef.getName())
                                    + " .*--from-literal=" + Pattern.quote(secretRef.getKey()) + "=");
                        }
                    }
                    var configRef = variable.getValueFrom().getConfigMapKeyRef();
                    if (configRef != null) {
                        assertThat(rendered.one(ConfigMap.class, configRef.getName()).getData()).containsKey(configRef.getKey());
                    }
                }
                for (VolumeMount mount : container.getVolumeMounts()) {
                    boolean volume = template.getSpec().getVolumes().stream().anyMatch(v -> v.getName().equals(mount.getName()));
                    boolean claim = rendered.all(StatefulSet.class).stream()
                        .filter(s -> s.getSpec().getTemplate() == template)
                        .flatMap(s -> s.getSpec().getVolumeClaimTemplates().stream())
                        .anyMatch(c -> c.getMetadata().getName().equals(mount.getName()));
                    assertThat(volume || claim).as("%s: volume %s exists", overlay, mount.getName()).isTrue();
                }
            }
            for (Volume volume : template.getSpec().getVolumes()) {
                if (volume.getSecret() != null) rendered.one(Secret.class, volume.getSecret().getSecretName());
                if (volume.getConfigMap() != null) rendered.one(ConfigMap.class, volume.getConfigMap().getName());
            }
        }
        for (Service service : rendered.all(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            List<PodTemplateSpec> selected = templates.stream()
                .filter(t -> t.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
            assertThat(selected).as("%s: service %s selects pods", overlay, service.getMetadata().getName()).isNotEmpty();
            for (ServicePort port : service.getSpec().getPorts()) {
                for (PodTemplateSpec template : selected) {
                    assertThat(portNumber(template.getSpec().getContainers().get(0), port.getTargetPort())).isPositive();
                }
            }
        }
        assertThat(rendered.has(Service.class, rendered.argus().getSpec().getServiceName())).isTrue();

        // Services named in URLs: Kafka's bootstrap service (Strimzi names it) and the registry.
        Kafka kafka = rendered.all(Kafka.class).get(0);
        GenericKafkaListener plain = kafka.getSpec().getKafka().getListeners().stream()
            .filter(l -> !l.isTls()).findFirst().orElseThrow();
        String bootstrap = kafka.getMetadata().getName() + "-kafka-bootstrap:" + plain.getPort();
        assertThat(rendered.value("ARGUS_KAFKA_BOOTSTRAP")).isEqualTo(bootstrap);
        Container registry = container(rendered.one(Deployment.class, "argus-registry").getSpec().getTemplate(), "registry");
        assertThat(registry.getEnv()).contains(new EnvVar("KAFKA_BOOTSTRAP_SERVERS", bootstrap, null));
        Matcher url = Pattern.compile("http://([a-z0-9-]+):(\\d+)/apis/ccompat/v7").matcher(rendered.value("ARGUS_REGISTRY_URL"));
        assertThat(url.matches()).as("ARGUS_REGISTRY_URL is the Confluent API of an in-cluster registry").isTrue();
        Service registryService = rendered.one(Service.class, url.group(1));
        ServicePort registryPort = registryService.getSpec().getPorts().stream()
            .filter(p -> p.getPort() == Integer.parseInt(url.group(2))).findFirst().orElseThrow();
        assertThat(portNumber(registry, registryPort.getTargetPort())).isEqualTo(8080);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void runsAsNonRootOnAReadOnlyRootWithStateOnItsOwnVolume(String overlay) {
        Rendered rendered = render(overlay);
        StatefulSet argus = rendered.argus();
        Container container = rendered.argusContainer();
        assertThat(argus.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");

        assertThat(argus.getSpec().getVolumeClaimTemplates()).hasSize(1);
        String claim = argus.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        VolumeMount state = container.getVolumeMounts().stream().filter(m -> m.getName().equals(claim)).findFirst().orElseThrow();
        assertThat(rendered.value("ARGUS_STATE_DIR")).startsWith(state.getMountPath() + "/");
        // The only other writable path: /tmp, where RocksDB unpacks its native library.
        assertThat(container.getVolumeMounts()).extracting(VolumeMount::getMountPath)
            .containsExactlyInAnyOrder(state.getMountPath(), "/tmp");

        for (Container any : rendered.all(StatefulSet.class).get(0).getSpec().getTemplate().getSpec().getContainers()) {
            Map<String, Quantity> requests = any.getResources().getRequests();
            Map<String, Quantity> limits = any.getResources().getLimits();
            for (String resource : List.of("cpu", "memory")) {
                assertThat(Quantity.getAmountInBytes(requests.get(resource)))
                    .isLessThanOrEqualTo(Quantity.getAmountInBytes(limits.get(resource)));
            }
        }
        // Measured: one process with the fold, HTTP and an embedded broker is ~560 MB RSS.
        assertThat(Quantity.getAmountInBytes(container.getResources().getLimits().get("memory")).longValue())
            .isGreaterThanOrEqualTo(768L << 20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void kafkaRunsInKraftModeAndTheTopicsAreTheLogOfRecord(String overlay) {
        Rendered rendered = render(overlay);
        Kafka kafka = rendered.all(Kafka.class).get(0);
        assertThat(rendered.all(Kafka.class)).hasSize(1);
        List<KafkaNodePool> pools = rendered.all(KafkaNodePool.class);
        assertThat(pools).allSatisfy(pool ->
            assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName()));
        assertThat(pools).flatExtracting(p -> p.getSpec().getRoles()).contains(ProcessRoles.CONTROLLER, ProcessRoles.BROKER);
        int brokers = pools.stream().filter(p -> p.getSpec().getRoles().contains(ProcessRoles.BROKER))
            .mapToInt(p -> p.getSpec().getReplicas()).sum();

        for (KafkaTopic topic : rendered.all(KafkaTopic.class)) {
            assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
            assertThat(topic.getSpec().getReplicas()).isLessThanOrEqualTo(brokers);
            int minIsr = Integer.parseInt(String.valueOf(topic.getSpec().getConfig().get("min.insync.replicas")));
            assertThat(minIsr).isLessThanOrEqualTo(topic.getSpec().getReplicas());
        }
        KafkaTopic events = topic(rendered, "argus.events");
        assertThat(events.getSpec().getPartitions()).isEqualTo(12);
        assertThat(events.getSpec().getConfig()).containsEntry("retention.ms", -1).containsEntry("retention.bytes", -1)
            .containsEntry("cleanup.policy", "delete");
        assertThat(topic(rendered, "argus.events.dlq").getSpec().getConfig()).containsEntry("retention.ms", -1);
        assertThat(topic(rendered, "argus.batch-views").getSpec().getConfig()).containsEntry("cleanup.policy", "compact");
        assertThat(rendered.value("ARGUS_TOPICS_PARTITIONS")).isEqualTo(String.valueOf(events.getSpec().getPartitions()));
        assertThat(Integer.parseInt(rendered.value("ARGUS_KAFKA_REPLICATION_FACTOR"))).isLessThanOrEqualTo(brokers);
        assertThat(Integer.parseInt(rendered.value("ARGUS_TOPICS_REPLICATION_FACTOR"))).isLessThanOrEqualTo(brokers);
        Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
        assertThat(Integer.parseInt(String.valueOf(config.get("transaction.state.log.replication.factor")))).isLessThanOrEqualTo(brokers);
        // Instances beyond the partition count sit idle.
        assertThat(rendered.argus().getSpec().getReplicas()).isLessThanOrEqualTo(events.getSpec().getPartitions());
    }

    @Test
    void prodRunsThreeInstancesWithStandbysOnSeparateNodes() {
        Rendered prod = render("prod");
        StatefulSet argus = prod.argus();
        assertThat(argus.getSpec().getReplicas()).isEqualTo(3);
        assertThat(prod.value("ARGUS_KAFKA_NUM_STANDBY_REPLICAS")).isEqualTo("1");
        Map<String, String> podLabels = argus.getSpec().getTemplate().getMetadata().getLabels();
        List<PodAffinityTerm> required = argus.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution();
        assertThat(required).anySatisfy(term -> {
            assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(podLabels.entrySet()).containsAll(term.getLabelSelector().getMatchLabels().entrySet());
        });
        PodDisruptionBudget budget = prod.one(PodDisruptionBudget.class, "argus");
        assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        assertThat(podLabels.entrySet()).containsAll(budget.getSpec().getSelector().getMatchLabels().entrySet());
        assertThat(prod.has(Secret.class, "argus-api-token")).as("no token kept in git for prod").isFalse();
        assertThat(prod.all(KafkaNodePool.class).get(0).getSpec().getReplicas()).isEqualTo(3);
        assertThat(topic(prod, "argus.events").getSpec().getReplicas()).isEqualTo(3);
        assertThat(topic(prod, "argus.events").getSpec().getConfig()).containsEntry("min.insync.replicas", 2);
    }

    @Test
    void devRunsOneSmallInstance() {
        Rendered dev = render("dev");
        assertThat(dev.argus().getSpec().getReplicas()).isEqualTo(1);
        assertThat(dev.value("ARGUS_KAFKA_NUM_STANDBY_REPLICAS")).isEqualTo("0");
        assertThat(dev.argus().getSpec().getTemplate().getSpec().getAffinity()).isNull();
        Quantity devMemory = dev.argusContainer().getResources().getLimits().get("memory");
        Quantity prodMemory = render("prod").argusContainer().getResources().getLimits().get("memory");
        assertThat(Quantity.getAmountInBytes(devMemory)).isLessThan(Quantity.getAmountInBytes(prodMemory));
        assertThat(dev.all(KafkaNodePool.class).get(0).getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void theRendererMergesLikeKustomize() throws IOException {
        ObjectNode target = (ObjectNode) Kustomize.YAML.readTree("""
            spec:
              replicas: 1
              template: {spec: {containers: [{name: a, image: x, env: [{name: A, value: "1"}], args: [serve]}]}}
              list: [1, 2]
            """);
        Kustomize.merge(target, Kustomize.YAML.readTree("""
            spec:
              replicas: 3
              template: {spec: {containers: [{name: a, env: [{name: B, value: "2"}], args: [other]}, {name: b}]}}
              list: [3]
            """), true);
        assertThat(target.toString()).isEqualTo("{\"spec\":{\"replicas\":3,\"template\":{\"spec\":{\"containers\":["
            + "{\"name\":\"a\",\"image\":\"x\",\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"}],"
            + "\"args\":[\"other\"]},{\"name\":\"b\"}]}},\"list\":[3]}}");
        ObjectNode custom = (ObjectNode) Kustomize.YAML.readTree("spec: {volumes: [{id: 0, size: 1}], keep: 1}");
        Kustomize.merge(custom, Kustomize.YAML.readTree("spec: {volumes: [{id: 0, size: 2}], keep: null}"), false);
        assertThat(custom.toString()).isEqualTo("{\"spec\":{\"volumes\":[{\"id\":0,\"size\":2}]}}");
    }

    private static KafkaTopic topic(Rendered rendered, String name) {
        return rendered.all(KafkaTopic.class).stream().filter(t -> t.getSpec().getTopicName().equals(name))
            .findFirst().orElseThrow(() -> new AssertionError(rendered.overlay() + ": no topic " + name));
    }

    private static Container container(PodTemplateSpec template, String name) {
        return template.getSpec().getContainers().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    private static int containerPort(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
            .findFirst().orElseThrow(() -> new AssertionError("no port " + name + " on " + container.getName()));
    }

    private static int portNumber(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            assertThat(container.getPorts()).extracting(ContainerPort::getContainerPort).contains(port.getIntVal());
            return port.getIntVal();
        }
        return containerPort(container, port.getStrVal());
    }

    /** Backticked ARGUS_* names in the "environment" column of the configuration tables of both READMEs. */
    static Set<String> documentedEnvironmentVariables() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        Pattern variable = Pattern.compile("`(ARGUS_[A-Z0-9_]+)`");
        for (String readme : List.of("streams-app/README.md", "query-service/README.md")) {
            for (String line : Files.readAllLines(ROOT.resolve(readme))) {
                String[] cells = line.split("\\|");
                if (line.startsWith("|") && cells.length > 3) {
                    Matcher matcher = variable.matcher(cells[2]);
                    while (matcher.find()) {
                        names.add(matcher.group(1));
                    }
                }
            }
        }
        assertThat(names).as("configuration tables found").contains("ARGUS_KAFKA_BOOTSTRAP", "ARGUS_HTTP_PORT");
        return names;
    }

    /**
     * fabric8 and Strimzi models keep fields they do not know in additionalProperties instead of failing: a typo
     * such as {@code readinesProbe} would pass silently. Walks every model object and fails on any.
     */
    private static void assertNoUnknownFields(Object object, String path, IdentityHashMap<Object, Boolean> seen) {
        if (object == null || seen.put(object, Boolean.TRUE) != null) {
            return;
        }
        if (object instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                assertNoUnknownFields(element, path + "[" + i++ + "]", seen);
            }
            return;
        }
        if (object instanceof Map<?, ?> map) {
            map.forEach((key, value) -> assertNoUnknownFields(value, path + "." + key, seen));
            return;
        }
        String packageName = object.getClass().getPackageName();
        if (!packageName.startsWith("io.fabric8.kubernetes.api.model") && !packageName.startsWith("io.strimzi.api")) {
            return;
        }
        for (Method method : object.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())
                || !method.getName().startsWith("get") || method.getReturnType().isPrimitive()
                || method.getDeclaringClass().getName().startsWith("io.fabric8.kubernetes.client")
                || method.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = method.invoke(object);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (method.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) value).as("unknown fields at %s", path).isNullOrEmpty();
            } else if (!(value instanceof String) && !(value instanceof Number) && !(value instanceof Boolean)
                && !(value instanceof Enum<?>)) {
                assertNoUnknownFields(value, path + "." + method.getName().substring(3), seen);
            }
        }
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("k8s/base/kustomization.yaml"))) {
            dir = dir.getParent();
        }
        return Objects.requireNonNull(dir, "k8s/base/kustomization.yaml above the working directory");
    }
}
