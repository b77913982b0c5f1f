package io.flightcontroller.pipeline;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.runtime.state.KeyGroupStatePartitionStreamProvider;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StatePartitionStreamProvider;
import org.apache.flink.runtime.state.VoidNamespace;

/**
 * flink-cep's keyed map states (its event queue and shared buffer), each kept as one value per key: a
 * {@link MapState} whose whole map is one {@link ValueState} entry. flink-cep checks and scans these maps on every
 * event-time timer ({@code isEmpty}, {@code keys}); on RocksDB each such call is an iterator seek, and a seek steps
 * over the deletes of every entry CEP removed before it until it meets a live entry, of this key or of any later key
 * (RocksDB keeps deletes until a compaction drops them; Flink 1.20's map-state iterators set no upper bound). With one
 * value per key every access is a point lookup, which stops at the first version of its own key.
 *
 * <p>Shape: per key and map, one entry holding the map, read whole and written whole; on RocksDB the map last read
 * or written is kept for the next call of the same key (flink-cep reads the same map several times per event and per
 * timer), and dropped when a snapshot is taken. A sequence case holds a few
 * events (one per step reached, plus the queued ones), so a read or write is a few hundred bytes. A key whose map grows
 * large costs its size on every access on RocksDB (never on the heap, where the map is the stored object).
 *
 * <p>Measured in the benchmark (README, "Sequence on RocksDB"). The operator that uses it ({@link SequenceOperator})
 * is otherwise flink-cep's own {@code CepOperator}: this class changes where CEP's maps live, not what CEP does with
 * them.
 *
 * <p>State written by the earlier layout (CEP's map states, one entry per map entry) is moved into the values when a
 * snapshot is restored ({@link #moveEarlierLayout}).
 */
final class CepPointLookups {
    /** flink-cep's map states (flink-cep 1.20 and 2.2: {@code CepOperator}, {@code SharedBuffer}). */
    static final List<String> CEP_MAP_STATES = List.of(
            "eventQueuesStateName",
            "sharedBuffer-entries-with-lockable-edges",
            "sharedBuffer-events",
            "sharedBuffer-events-count");

    /** The name of the value that holds CEP's map state {@code name}. */
    static String valueName(String name) {
        return name + "/one-value-per-key";
    }

    private final Map<String, MapStateDescriptor<?, ?>> earlier = new LinkedHashMap<>();
    private final Map<String, OneValueMapState<?, ?>> replaced = new LinkedHashMap<>();
    private final Supplier<Object> currentKey;

    /**
     * @param currentKey the backend's current key, to keep each map's last read for the same key; null where a read
     *     costs nothing (the heap, whose value is the stored map)
     */
    CepPointLookups(Supplier<Object> currentKey) {
        this.currentKey = currentKey;
    }

    /**
     * @param context the operator's state context
     * @return the same context, whose keyed state store hands out CEP's map states as one value per key
     */
    StateInitializationContext wrap(StateInitializationContext context) {
        KeyedStateStore store = context.getKeyedStateStore();
        KeyedStateStore wrapped = (KeyedStateStore) Proxy.newProxyInstance(
                KeyedStateStore.class.getClassLoader(), new Class<?>[] {KeyedStateStore.class}, (p, method, args) -> {
                    if (method.getName().equals("getMapState")
                            && args != null
                            && args.length == 1
                            && args[0] instanceof MapStateDescriptor
                            && CEP_MAP_STATES.contains(((MapStateDescriptor<?, ?>) args[0]).getName())) {
                        return replace(store, (MapStateDescriptor<?, ?>) args[0]);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new StateInitializationContext() {
            @Override
            public boolean isRestored() {
                return context.isRestored();
            }

            @Override
            public OptionalLong getRestoredCheckpointId() {
                return context.getRestoredCheckpointId();
            }

            @Override
            public OperatorStateStore getOperatorStateStore() {
                return context.getOperatorStateStore();
            }

            @Override
            public KeyedStateStore getKeyedStateStore() {
                return wrapped;
            }

            @Override
            public Iterable<StatePartitionStreamProvider> getRawOperatorStateInputs() {
                return context.getRawOperatorStateInputs();
            }

            @Override
            public Iterable<KeyGroupStatePartitionStreamProvider> getRawKeyedStateInputs() {
                return context.getRawKeyedStateInputs();
            }
        };
    }

    private <K, V> MapState<K, V> replace(KeyedStateStore store, MapStateDescriptor<K, V> d) {
        ValueState<Map<K, V>> value = store.getState(new ValueStateDescriptor<>(
                valueName(d.getName()), new MapSerializer<>(d.getKeySerializer(), d.getValueSerializer())));
        OneValueMapState<K, V> state = new OneValueMapState<>(value, currentKey);
        earlier.put(d.getName(), d);
        replaced.put(d.getName(), state);
        return state;
    }

    /**
     * Drops the maps kept from the last reads: called when a snapshot is taken, so no object a snapshot may still be
     * writing out is changed afterwards (the heap backend copies a value on its first read after a snapshot).
     */
    void forgetReads() {
        replaced.values().forEach(OneValueMapState::forget);
    }

    /** @return the names of CEP's map states handed out as values so far */
    List<String> replacedStates() {
        return new ArrayList<>(replaced.keySet());
    }

    /**
     * Moves the entries of CEP's map states restored from a snapshot of the earlier layout into the values, key by
     * key, and clears them. Reads only the keys that have such entries (none after the first restore).
     *
     * @param backend the operator's keyed state backend (after the restore)
     * @param store the operator's own keyed state store (not the wrapped one)
     * @return how many keys were moved, per CEP map state
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, Integer> moveEarlierLayout(KeyedStateBackend<?> backend, KeyedStateStore store) throws Exception {
        Map<String, Integer> moved = new LinkedHashMap<>();
        Object current = backend.getCurrentKey();
        for (Map.Entry<String, MapStateDescriptor<?, ?>> e : earlier.entrySet()) {
            List<Object> keys;
            try (Stream<?> s = ((KeyedStateBackend) backend).getKeys(e.getKey(), VoidNamespace.INSTANCE)) {
                keys = s.collect(Collectors.toList());
            }
            if (keys.isEmpty()) {
                continue;
            }
            MapState<Object, Object> from = (MapState<Object, Object>) store.getMapState(e.getValue());
            MapState<Object, Object> to = (MapState<Object, Object>) replaced.get(e.getKey());
            for (Object key : keys) {
                ((KeyedStateBackend) backend).setCurrentKey(key);
                Map<Object, Object> entries = new HashMap<>();
                for (Map.Entry<Object, Object> entry : from.entries()) {
                    entries.put(entry.getKey(), entry.getValue());
                }
                to.putAll(entries);
                from.clear();
            }
            moved.put(e.getKey(), keys.size());
        }
        if (current != null) {
            ((KeyedStateBackend) backend).setCurrentKey(current);
        }
        return moved;
    }

    /**
     * A {@link MapState} kept as one value per key. Reads and writes go through the value state, so on the heap the
     * map is the stored object (mutated in place and stored again, as Flink's heap map state does) and on RocksDB
     * each call reads or writes the whole map. An empty map is no entry.
     */
    static final class OneValueMapState<K, V> implements MapState<K, V> {
        private final ValueState<Map<K, V>> value;
        private final Supplier<Object> currentKey;
        /** The key of the last read or write, or null: {@link #last} is its map (null: no entry). */
        private Object lastKey;

        private Map<K, V> last;

        /**
         * @param value the state that holds the map
         * @param currentKey the backend's current key, to keep the last map read or written for the next call of the
         *     same key (every write goes through this object); null to read the state on every call
         */
        OneValueMapState(ValueState<Map<K, V>> value, Supplier<Object> currentKey) {
            this.value = value;
            this.currentKey = currentKey;
        }

        /** @return the key's map, or null if it has none */
        private Map<K, V> read() throws Exception {
            if (currentKey == null) {
                return value.value();
            }
            Object key = currentKey.get();
            if (key == null || !key.equals(lastKey)) {
                last = value.value();
                lastKey = key;
            }
            return last;
        }

        private Map<K, V> map() throws Exception {
            Map<K, V> m = read();
            return m == null ? Collections.emptyMap() : m;
        }

        private Map<K, V> writable() throws Exception {
            Map<K, V> m = read();
            return m == null ? new HashMap<>() : m;
        }

        private void store(Map<K, V> m) throws Exception {
            if (m.isEmpty()) {
                value.clear();
                remember(null);
            } else {
                value.update(m);
                remember(m);
            }
        }

        private void remember(Map<K, V> m) {
            if (currentKey != null) {
                lastKey = currentKey.get();
                last = m;
            }
        }

        void forget() {
            lastKey = null;
            last = null;
        }

        @Override
        public V get(K key) throws Exception {
            return map().get(key);
        }

        @Override
        public void put(K key, V v) throws Exception {
            Map<K, V> m = writable();
            m.put(key, v);
            store(m);
        }

        @Override
        public void putAll(Map<K, V> entries) throws Exception {
            if (entries == null || entries.isEmpty()) {
                return;
            }
            Map<K, V> m = writable();
            m.putAll(entries);
            store(m);
        }

        @Override
        public void remove(K key) throws Exception {
            Map<K, V> m = read();
            if (m != null && m.containsKey(key)) {
                m.remove(key);
                store(m);
            }
        }

        @Override
        public boolean contains(K key) throws Exception {
            return map().containsKey(key);
        }

        @Override
        public Iterable<Map.Entry<K, V>> entries() throws Exception {
            Map<K, V> m = map();
            return () -> written(m, Function.identity());
        }

        @Override
        public Iterable<K> keys() throws Exception {
            Map<K, V> m = map();
            return () -> written(m, Map.Entry::getKey);
        }

        @Override
        public Iterable<V> values() throws Exception {
            Map<K, V> m = map();
            return () -> written(m, Map.Entry::getValue);
        }

        @Override
        public Iterator<Map.Entry<K, V>> iterator() throws Exception {
            return written(map(), Function.identity());
        }

        @Override
        public boolean isEmpty() throws Exception {
            return map().isEmpty();
        }

        @Override
        public void clear() {
            value.clear();
            remember(null);
        }

        /** An iterator over {@code m} whose {@code remove} and {@code setValue} are written back to the state. */
        private <T> Iterator<T> written(Map<K, V> m, Function<Map.Entry<K, V>, T> view) {
            Iterator<Map.Entry<K, V>> it = m.entrySet().iterator();
            return new Iterator<T>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                @SuppressWarnings("unchecked")
                public T next() {
                    Map.Entry<K, V> e = it.next();
                    Map.Entry<K, V> writing = new Map.Entry<K, V>() {
                        @Override
                        public K getKey() {
                            return e.getKey();
                        }

                        @Override
                        public V getValue() {
                            return e.getValue();
                        }

                        @Override
                        public V setValue(V v) {
                            V old = e.setValue(v);
                            write(m);
                            return old;
                        }
                    };
                    return view.apply(writing);
                }

                @Override
                public void remove() {
                    it.remove();
                    write(m);
                }
            };
        }

        private void write(Map<K, V> m) {
            try {
                store(m);
            } catch (Exception e) {
                throw new IllegalStateException("cannot write a flink-cep map state", e);
            }
        }
    }
}
