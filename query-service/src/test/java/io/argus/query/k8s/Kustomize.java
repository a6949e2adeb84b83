package io.argus.query.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subset of kustomize that k8s/ uses, so the manifests can be rendered in a test without the kustomize binary:
 * {@code resources} (files, multi-document, and directories with their own kustomization), {@code patches} given by
 * {@code path} holding whole documents matched by kind and name, {@code namespace} and {@code images}. Anything else
 * in a kustomization fails the render, so the overlays stay within what is checked here.
 *
 * <p>Patches follow kustomize: built-in kinds get a strategic merge patch, which merges the lists Kubernetes gives a
 * merge key (containers, env, volumes by name; ports by containerPort; volumeMounts by mountPath) and replaces every
 * other list; custom resources (a group with a dot, such as kafka.strimzi.io) get a JSON merge patch, which replaces
 * every list. Maps merge, {@code null} deletes. Patch directives ({@code $patch}) are not supported.
 */
final class Kustomize {

    static final YAMLMapper YAML = new YAMLMapper();

    private static final Set<String> KUSTOMIZATION_KEYS =
        Set.of("apiVersion", "kind", "resources", "namespace", "images", "patches");
    private static final Map<String, String> MERGE_KEYS = Map.of(
        "containers", "name", "initContainers", "name", "env", "name", "volumes", "name",
        "imagePullSecrets", "name", "ports", "containerPort", "volumeMounts", "mountPath");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
        "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass");

    private Kustomize() {
    }

    /** The documents {@code kubectl kustomize dir} would print for these manifests, in resource order. */
    static List<ObjectNode> render(Path dir) {
        ObjectNode kustomization = (ObjectNode) readDocuments(dir.resolve("kustomization.yaml")).get(0);
        kustomization.fieldNames().forEachRemaining(key -> {
            if (!KUSTOMIZATION_KEYS.contains(key)) {
                throw new IllegalArgumentException(dir + ": kustomization field '" + key + "' is not supported here");
            }
        });
        List<ObjectNode> documents = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                documents.addAll(render(path));
            } else {
                documents.addAll(readDocuments(path));
            }
        }
        for (JsonNode patch : kustomization.path("patches")) {
            if (patch.size() != 1 || !patch.has("path")) {
                throw new IllegalArgumentException(dir + ": only `- path: file` patches are supported, got " + patch);
            }
            for (ObjectNode document : readDocuments(dir.resolve(patch.get("path").asText()))) {
                ObjectNode target = find(documents, document.path("kind").asText(), name(document), dir);
                boolean strategic = !document.path("apiVersion").asText().contains(".");
                merge(target, document, strategic);
            }
        }
        if (kustomization.hasNonNull("namespace")) {
            String namespace = kustomization.get("namespace").asText();
            for (ObjectNode document : documents) {
                if (!CLUSTER_SCOPED.contains(document.path("kind").asText())) {
                    ((ObjectNode) document.get("metadata")).put("namespace", namespace);
                }
            }
        }
        for (JsonNode image : kustomization.path("images")) {
            for (ObjectNode document : documents) {
                JsonNode podSpec = document.path("spec").path("template").path("spec");
                for (String list : List.of("containers", "initContainers")) {
                    for (JsonNode container : podSpec.path(list)) {
                        setImage((ObjectNode) container, image);
                    }
                }
            }
        }
        return documents;
    }

    static String name(JsonNode document) {
        return document.path("metadata").path("name").asText();
    }

    static List<ObjectNode> readDocuments(Path file) {
        try {
            List<ObjectNode> documents = new ArrayList<>();
            for (JsonNode document : YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).readAll()) {
                if (document != null && !document.isNull() && !document.isMissingNode() && document.size() > 0) {
                    documents.add((ObjectNode) document);
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private static ObjectNode find(List<ObjectNode> documents, String kind, String name, Path dir) {
        List<ObjectNode> found = documents.stream()
            .filter(d -> d.path("kind").asText().equals(kind) && name(d).equals(name)).toList();
        if (found.size() != 1) {
            throw new IllegalArgumentException(dir + ": a patch names " + kind + "/" + name + ", found " + found.size());
        }
        return found.get(0);
    }

    static void merge(ObjectNode target, JsonNode patch, boolean strategic) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(key);
            if (key.startsWith("$")) {
                throw new IllegalArgumentException("patch directive " + key + " is not supported");
            } else if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, value, strategic);
            } else if (strategic && value.isArray() && existing != null && existing.isArray() && MERGE_KEYS.containsKey(key)) {
                mergeList((ArrayNode) existing, (ArrayNode) value, MERGE_KEYS.get(key));
            } else {
                target.set(key, value.deepCopy());
            }
        }
    }

    private static void mergeList(ArrayNode target, ArrayNode patch, String mergeKey) {
        for (JsonNode element : patch) {
            JsonNode key = element.get(mergeKey);
            if (key == null) {
                throw new IllegalArgumentException("a list element without its merge key " + mergeKey + ": " + element);
            }
            ObjectNode match = null;
            for (JsonNode candidate : target) {
                if (key.equals(candidate.get(mergeKey))) {
                    match = (ObjectNode) candidate;
                }
            }
            if (match == null) {
                target.add(element.deepCopy());
            } else {
                merge(match, element, true);
            }
        }
    }

    private static void setImage(ObjectNode container, JsonNode image) {
        String current = container.path("image").asText();
        String withoutDigest = current.split("@", 2)[0];
        int colon = withoutDigest.lastIndexOf(':');
        String imageName = colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
        String tag = colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(colon + 1) : null;
        if (!imageName.equals(image.path("name").asText())) {
            return;
        }
        String newName = image.hasNonNull("newName") ? image.get("newName").asText() : imageName;
        String newTag = image.hasNonNull("newTag") ? image.get("newTag").asText() : tag;
        container.set("image", JsonNodeFactory.instance.textNode(newTag == null ? newName : newName + ":" + newTag));
    }
}
