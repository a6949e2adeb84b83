package io.argus.producer;

import io.argus.schemas.avro.ArgusEvent;

/**
 * The bench's way to the Reporter SDK's {@link FlatJson}, which is package-private in producer-lib: the end-to-end
 * load posts each event as exactly the flat JSON the SDK's HTTP transport posts, instead of a second writer of it.
 */
public final class SdkFlatJson {

    private SdkFlatJson() {
    }

    /** One event as {@code POST /api/events} takes it: a single line of JSON. */
    public static String of(ArgusEvent event) {
        return FlatJson.of(event).toString();
    }
}
