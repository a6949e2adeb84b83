package io.argus.streams.topology;

import io.argus.streams.fold.Effect;
import io.argus.streams.state.HistoryChunk;
import io.argus.streams.state.HistoryRef;
import io.argus.streams.state.LoggedEffect;
import io.argus.streams.state.LoggedType;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each event of a batch is in the log, in the order the fold took them in: the batch's history, without a
 * second copy of the events (they stay in {@code argus.events}). Entry {@code n} of a batch is entry
 * {@code n % CHUNK_SIZE} of chunk {@code n / CHUNK_SIZE}, so reading a page of history reads one or two chunks,
 * and only the batch's last chunk changes while it runs: like the batch record, it is written once per commit.
 */
public final class HistoryIndex {

    /** Entries per chunk: about 2 KB of encoded chunk. */
    public static final int CHUNK_SIZE = 128;

    private final WriteBackStore<HistoryChunk> chunks;

    HistoryIndex(WriteBackStore<HistoryChunk> chunks) {
        this.chunks = chunks;
    }

    /** Appends the event at {@code position} (the batch's history size before it) of the batch's history. */
    void append(String batchId, long position, int partition, long offset, LoggedType type, Effect effect, long ts) {
        String key = chunkKey(batchId, position);
        HistoryChunk open = position % CHUNK_SIZE == 0 ? null : chunks.load(key);
        List<HistoryRef> entries = new ArrayList<>(open == null ? 1 : open.getEntries().size() + 1);
        if (open != null) {
            entries.addAll(open.getEntries());
        }
        entries.add(new HistoryRef(partition, offset, type, LoggedEffect.valueOf(effect.name()), ts));
        chunks.put(key, new HistoryChunk(entries));
    }

    /** The chunk holding {@code position}. */
    public static String chunkKey(String batchId, long position) {
        return StoreKeys.historyChunk(batchId, position / CHUNK_SIZE);
    }
}
