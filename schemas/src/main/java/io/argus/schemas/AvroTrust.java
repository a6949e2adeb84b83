package io.argus.schemas;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12.2 refuses to load classes outside its trusted packages, and Argus's generated classes (events, and the
 * Streams state records) are not in them. Rather than asking every user and test to set
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES}, Argus adds exactly its own generated types, Avro records and enums
 * under {@code io.argus.}, and nothing else, to Avro's global trust.
 */
public final class AvroTrust {

    private static final String ARGUS_PACKAGES = "io.argus.";
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private AvroTrust() {
    }

    /** Trusts Argus's generated classes; call it before Avro may load one. Later calls do nothing. */
    public static void trustGeneratedClasses() {
        if (INSTALLED.compareAndSet(false, true)) {
            ClassSecurityValidator.ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(before, AvroTrust::isGeneratedArgusType));
        }
    }

    /** Checks names and supertypes only: Avro hands over classes it has not initialised, and they must stay so. */
    static boolean isGeneratedArgusType(Class<?> type) {
        return type.getName().startsWith(ARGUS_PACKAGES)
            && (SpecificRecord.class.isAssignableFrom(type) || GenericEnumSymbol.class.isAssignableFrom(type));
    }
}
