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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.runtime.TupleSerializer;
import org.apache.flink.runtime.state.KeyGroupStatePartitionStreamProvider;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StatePartitionStreamProvider;
import org.apache.flink.runtime.state.VoidNamespace;

/**
 * flink-cep's four keyed map states (its event queue and the three maps of its shared buffer) kept together as one
 * value per key: each {@link MapState} CEP asks for is a view of one map of a {@link Tuple4} held in one
 * {@link ValueState} entry. flink-cep checks and scans these maps on every event-time timer ({@code isEmpty},
 * {@code keys}); on RocksDB each such call is an iterator seek, and a seek steps over the deletes of every entry CEP
 * removed before it until it meets a live entry, of this key or of any later key (RocksDB keeps deletes until a
 * compaction drops them; Flink 1.20's map-state iterators set no upper bound). With one value per key every access is
 * a point lookup, which stops at the first version of its own key.
 *
 * <p>Shape: per key, one entry holding CEP's four maps, read whole and written whole. A sequence case holds a few
 * events (one per step reached, plus the queued ones), so an entry is a few hundred bytes. On the heap the value is
 * the stored object, changed in place and stored again after each change (as Flink's heap map state does). On RocksDB
 * ({@code held} above 0) the maps of the keys worked on last are kept ({@link HeldValueState}), and changes to them
 * are written once, when the key leaves them or a snapshot is taken ({@link #flush}): flink-cep reads and changes the
 * same maps several times per event and again at the event's timer, seconds of event time later. A key whose maps
 * grow large costs their size on each read and write on RocksDB (never on the heap).
 *
 * <p>Measured in the benchmark ({@code benchmark/README.md}, "Results: 2026-12-02"). The operator that uses it
 * ({@link SequenceOperator}) is otherwise flink-cep's own {@code CepOperator}: this class changes where CEP's maps
 * live, not what CEP does with them.
 *
 * <p>flink-cep's NFA state (a value per key, {@link #NFA_STATE}) is handed out the same way, kept for the same keys
 * on RocksDB: a value it reads counts as changed, as on the heap, where flink-cep's changes in place stay.
 *
 * <p>State written by the earlier layout (CEP's map states, one entry per map entry) is moved into the values when a
 * snapshot is restored ({@link #moveEarlierLayout}).
 */
final class CepPointLookups {
    /** flink-cep's map states (flink-cep 1.20 and 2.2: {@code CepOperator}, {@code SharedBuffer}), in tuple order. */
    static final List<String> CEP_MAP_STATES = List.of(
            "eventQueuesStateName",
            "sharedBuffer-entries-with-lockable-edges",
            "sharedBuffer-events",
            "sharedBuffer-events-count");

    /**
     * flink-cep's value state of a key's NFA (flink-cep 1.20 and 2.2: {@code CepOperator}), kept as the maps are: read
     * and written at each event and timer of the key.
     */
    static final String NFA_STATE = "nfaStateName";

    /** The value that holds CEP's four maps of a key. */
    static final String VALUE_NAME = "flink-cep-maps/one-value-per-key";

    private final MapStateDescriptor<?, ?>[] earlier = new MapStateDescriptor<?, ?>[CEP_MAP_STATES.size()];
    private final OneValueMapState<?, ?>[] views = new OneValueMapState<?, ?>[CEP_MAP_STATES.size()];
    private final KeyedStateBackend<Object> backend;
    private final int held;
    /** The value of each key's four maps, with the maps of the keys worked on last held ({@link #held} of them). */
    private HeldValueState<Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>>>
            value;
    /** flink-cep's NFA states, with those of the keys worked on last held; null until flink-cep asks for them. */
    private HeldValueState<?> nfa;

    /**
     * @param backend the operator's keyed state backend
     * @param held the most keys whose maps are kept, their changes written once when the key leaves them or at
     *     {@link #flush} (RocksDB); 0 to write every change through (the heap, whose value is the stored object; any
     *     backend whose snapshots may run without the operator's {@code snapshotState}, such as the changelog backend)
     */
    @SuppressWarnings("unchecked")
    CepPointLookups(KeyedStateBackend<?> backend, int held) {
        this.backend = (KeyedStateBackend<Object>) backend;
        this.held = held;
    }

    /**
     * @param context the operator's state context
     * @return the same context, whose keyed state store hands out CEP's map states as views of one value per key
     */
    StateInitializationContext wrap(StateInitializationContext context) {
        KeyedStateStore store = context.getKeyedStateStore();
        KeyedStateStore wrapped = (KeyedStateStore) Proxy.newProxyInstance(
                KeyedStateStore.class.getClassLoader(), new Class<?>[] {KeyedStateStore.class}, (p, method, args) -> {
                    if (method.getName().equals("getState")
                            && args != null
                            && args.length == 1
                            && args[0] instanceof ValueStateDescriptor
                            && NFA_STATE.equals(((ValueStateDescriptor<?>) args[0]).getName())) {
                        nfa = new HeldValueState<>(
                                store.getState((ValueStateDescriptor<?>) args[0]), backend, held, true);
                        return nfa;
                    }
                    if (method.getName().equals("getMapState")
                            && args != null
                            && args.length == 1
                            && args[0] instanceof MapStateDescriptor
                            && CEP_MAP_STATES.contains(((MapStateDescriptor<?, ?>) args[0]).getName())) {
                        return view((MapStateDescriptor<?, ?>) args[0]);
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

    private <K, V> MapState<K, V> view(MapStateDescriptor<K, V> d) {
        int index = CEP_MAP_STATES.indexOf(d.getName());
        OneValueMapState<K, V> view = new OneValueMapState<>(this, index);
        earlier[index] = d;
        views[index] = view;
        return view;
    }

    /**
     * Creates the value that holds the four maps, once flink-cep has asked for all of them (their serializers are
     * the ones CEP gave).
     *
     * @param store the operator's own keyed state store (not the wrapped one)
     * @throws IllegalStateException naming the map states CEP did not ask for
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void bind(KeyedStateStore store) {
        List<String> missing = new ArrayList<>();
        TypeSerializer<?>[] fields = new TypeSerializer<?>[earlier.length];
        for (int i = 0; i < earlier.length; i++) {
            if (earlier[i] == null) {
                missing.add(CEP_MAP_STATES.get(i));
            } else {
                fields[i] = new MapSerializer<>(earlier[i].getKeySerializer(), earlier[i].getValueSerializer());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("flink-cep did not ask for the map states " + missing);
        }
        value = new HeldValueState<>(
                store.getState(new ValueStateDescriptor<>(VALUE_NAME, new TupleSerializer(Tuple4.class, fields))),
                backend,
                held,
                false);
    }

    /**
     * @param forWrite whether the caller changes a map (then the maps exist afterwards)
     * @return the current key's maps, or null if it has none and {@code forWrite} is false
     */
    private Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> maps(
            boolean forWrite) throws Exception {
        if (value == null) {
            throw new IllegalStateException("flink-cep used its map states before it had asked for all of them");
        }
        Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t = value.value();
        if (t == null && forWrite) {
            t = Tuple4.of(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
        }
        return t;
    }

    /**
     * Before a change through an iterator, which holds the maps it was read from: refuses maps that are not the
     * current key's kept ones, so a change never lands on another key (kept maps only; on the heap the maps are the
     * stored objects).
     */
    private void checkCurrent(
            Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t) {
        if (held > 0 && value.peek() != t) {
            throw new IllegalStateException("a flink-cep map state was changed through a read of another key"
                    + " (the current key is " + backend.getCurrentKey() + ")");
        }
    }

    /** A map of {@code t} (the current key's) changed: stored, or with kept maps written when the key leaves them. */
    private void changed(Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t)
            throws Exception {
        if (t.f0.isEmpty() && t.f1.isEmpty() && t.f2.isEmpty() && t.f3.isEmpty()) {
            value.clear();
        } else {
            value.update(t);
        }
    }

    /**
     * Writes the changes of the maps and NFA states kept, each under its key, and keeps them (RocksDB's snapshot reads
     * the written bytes, not these objects). Called before a snapshot (so the snapshot has every change; the final
     * checkpoint after the end of input included) and before the state is read by other means.
     */
    void flush() throws Exception {
        value.flush();
        if (nfa != null) {
            nfa.flush();
        }
    }

    /** @return the names of the CEP map states handed out so far */
    List<String> replacedStates() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < views.length; i++) {
            if (views[i] != null) {
                names.add(CEP_MAP_STATES.get(i));
            }
        }
        return names;
    }

    /**
     * Moves the entries of CEP's map states restored from a snapshot of the earlier layout into the values, key by
     * key, and clears them. Reads only the keys that have such entries (none after the first restore).
     *
     * @param store the operator's own keyed state store (not the wrapped one)
     * @return how many keys were moved, per CEP map state
     */
    @SuppressWarnings("unchecked")
    Map<String, Integer> moveEarlierLayout(KeyedStateStore store) throws Exception {
        Map<String, Integer> moved = new LinkedHashMap<>();
        Object current = backend.getCurrentKey();
        for (int i = 0; i < earlier.length; i++) {
            String name = CEP_MAP_STATES.get(i);
            List<Object> keys;
            try (Stream<Object> s = backend.getKeys(name, VoidNamespace.INSTANCE)) {
                keys = s.collect(Collectors.toList());
            }
            if (keys.isEmpty()) {
                continue;
            }
            MapState<Object, Object> from = (MapState<Object, Object>) store.getMapState(earlier[i]);
            MapState<Object, Object> to = (MapState<Object, Object>) views[i];
            for (Object key : keys) {
                backend.setCurrentKey(key);
                Map<Object, Object> entries = new HashMap<>();
                for (Map.Entry<Object, Object> entry : from.entries()) {
                    entries.put(entry.getKey(), entry.getValue());
                }
                to.putAll(entries);
                from.clear();
            }
            flush();
            moved.put(name, keys.size());
        }
        if (current != null) {
            backend.setCurrentKey(current);
        }
        return moved;
    }

    /**
     * One of CEP's map states: a view of one map of the key's {@link Tuple4}. Every change is reported to the owner,
     * which stores it (see {@link CepPointLookups}); an emptied set of maps is no entry.
     */
    static final class OneValueMapState<K, V> implements MapState<K, V> {
        private final CepPointLookups owner;
        private final int index;

        OneValueMapState(CepPointLookups owner, int index) {
            this.owner = owner;
            this.index = index;
        }

        @SuppressWarnings("unchecked")
        private Map<K, V> field(
                Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t) {
            return (Map<K, V>) t.getField(index);
        }

        private Map<K, V> map() throws Exception {
            Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t =
                    owner.maps(false);
            return t == null ? Collections.emptyMap() : field(t);
        }

        @Override
        public V get(K key) throws Exception {
            return map().get(key);
        }

        @Override
        public void put(K key, V v) throws Exception {
            Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t =
                    owner.maps(true);
            field(t).put(key, v);
            owner.changed(t);
        }

        @Override
        public void putAll(Map<K, V> entries) throws Exception {
            if (entries == null || entries.isEmpty()) {
                return;
            }
            Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t =
                    owner.maps(true);
            field(t).putAll(entries);
            owner.changed(t);
        }

        @Override
        public void remove(K key) throws Exception {
            Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t =
                    owner.maps(false);
            if (t != null && field(t).containsKey(key)) {
                field(t).remove(key);
                owner.changed(t);
            }
        }

        @Override
        public boolean contains(K key) throws Exception {
            return map().containsKey(key);
        }

        @Override
        public Iterable<Map.Entry<K, V>> entries() throws Exception {
            Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t =
                    owner.maps(false);
            return () -> written(t, Function.identity());
        }

        @Override
        public Iterable<K> keys() throws Exception {
            Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t =
                    owner.maps(false);
            return () -> written(t, Map.Entry::getKey);
        }

        @Override
        public Iterable<V> values() throws Exception {
            Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t =
                    owner.maps(false);
            return () -> written(t, Map.Entry::getValue);
        }

        @Override
        public Iterator<Map.Entry<K, V>> iterator() throws Exception {
            return written(owner.maps(false), Function.identity());
        }

        @Override
        public boolean isEmpty() throws Exception {
            return map().isEmpty();
        }

        @Override
        public void clear() {
            try {
                Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t =
                        owner.maps(false);
                if (t != null && !field(t).isEmpty()) {
                    field(t).clear();
                    owner.changed(t);
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot clear a flink-cep map state", e);
            }
        }

        /**
         * An iterator over the map of {@code t} (null: none) whose {@code remove} and {@code setValue} are reported
         * as changes.
         */
        private <T> Iterator<T> written(
                Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t,
                Function<Map.Entry<K, V>, T> view) {
            if (t == null) {
                return Collections.emptyIterator();
            }
            Iterator<Map.Entry<K, V>> it = field(t).entrySet().iterator();
            return new Iterator<T>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
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
                            owner.checkCurrent(t);
                            V old = e.setValue(v);
                            changed(t);
                            return old;
                        }
                    };
                    return view.apply(writing);
                }

                @Override
                public void remove() {
                    owner.checkCurrent(t);
                    it.remove();
                    changed(t);
                }
            };
        }

        private void changed(
                Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t) {
            try {
                owner.changed(t);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot write a flink-cep map state", e);
            }
        }
    }
}
