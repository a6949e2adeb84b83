package io.argus.producer;

import io.argus.schemas.AvroTrust;
import io.argus.schemas.avro.ArgusEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;

/**
 * Events as spool records: Avro single-object encoding, which names the writer schema by its fingerprint and needs
 * no registry (the registry may be what is down). Every schema that wrote into a spool is kept beside it in
 * {@code schemas/<fingerprint>.avsc}, so a newer Reporter still reads what an older one spooled.
 */
final class SpoolCodec {

    static final String SCHEMAS_DIR = "schemas";

    private final BinaryMessageDecoder<ArgusEvent> decoder;

    private SpoolCodec(BinaryMessageDecoder<ArgusEvent> decoder) {
        this.decoder = decoder;
    }

    /** Learns the schemas kept in {@code spoolDir} and keeps the current one there. */
    static SpoolCodec open(Path spoolDir) throws IOException {
        AvroTrust.trustGeneratedClasses();
        BinaryMessageDecoder<ArgusEvent> decoder =
            new BinaryMessageDecoder<>(SpecificData.getForClass(ArgusEvent.class), ArgusEvent.getClassSchema());
        Path schemas = Files.createDirectories(spoolDir.resolve(SCHEMAS_DIR));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(schemas, "*.avsc")) {
            for (Path file : files) {
                decoder.addSchema(new Schema.Parser().parse(Files.readString(file, StandardCharsets.UTF_8)));
            }
        }
        Schema current = ArgusEvent.getClassSchema();
        Path mine = schemas.resolve(Long.toHexString(SchemaNormalization.parsingFingerprint64(current)) + ".avsc");
        if (!Files.exists(mine)) {
            Files.writeString(mine, current.toString(), StandardCharsets.UTF_8);
        }
        return new SpoolCodec(decoder);
    }

    byte[] encode(ArgusEvent event) {
        try {
            ByteBuffer buffer = ArgusEvent.getEncoder().encode(event);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode event " + event.getEventId(), e);
        }
    }

    /** @throws IOException when the bytes name an unknown schema or do not decode */
    ArgusEvent decode(byte[] bytes) throws IOException {
        return decoder.decode(bytes);
    }
}
