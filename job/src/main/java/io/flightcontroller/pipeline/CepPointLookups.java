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
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.runtime.NullableSerializer;
import org.apache.flink.api.java.typeutils.runtime.TupleSerializer;
import org.apache.flink.runtime.state.KeyGroupStatePartitionStreamProvider;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StatePartitionStreamProvider;
import org.apache.flink.runtime.state.VoidNamespace;

/**
 * A sequence key's state as one value per key: the operator's case, flink-cep's NFA state and flink-cep's four keyed
 * map states (its event queue and the three maps of its shared buffer), the fields of a {@link Tuple3} held in one
 * {@link ValueState} entry ({@link #VALUE_NAME}). Each map state CEP asks for is a view of one map of the maps'
 * {@link Tuple4}; CEP's NFA state and the case are views of their fields ({@link #cases}).
 *
 * <p>Why one value. flink-cep checks and scans its maps on every event-time timer ({@code isEmpty}, {@code keys}); on
 * RocksDB each such call on a map state is an iterator seek, and a seek steps over the deletes of every entry CEP
 * removed before it until it meets a live entry, of this key or of any later key (RocksDB keeps deletes until a
 * compaction drops them; Flink 1.20's map-state iterators set no upper bound). In a value every access is a point
 * lookup, which stops at the first version of its own key. And the case, the NFA state and the maps are read and
 * changed together, at each event of the key and at its timers: as three values they were three reads and three
 * writes on RocksDB each time a key came back, as one they are one of each (benchmark README, "Results: 2026-12-03,
 * evening": about 30 % less CPU per event for the sequence operator on RocksDB).
 *
 * <p>Shape: per key, one entry, read whole and written whole; any field may be absent (a key's case alone once CEP has
 * released it, CEP's state alone for an event held for the key's next case), and a value with no field left is no
 * entry. A sequence case holds a few events (one per step reached, plus the queued ones), so an entry is a few hundred
 * bytes. On the heap the value is the stored object, changed in place and stored again after each change (as Flink's
 * heap map state does). On RocksDB ({@code held} above 0) the values of the keys worked on last are kept
 * ({@link HeldValueState}; a value read counts as changed, as on the heap, where flink-cep's and the operator's
 * changes in place stay), and changes to them are written once, when the key leaves them or a snapshot is taken
 * ({@link #flush}). A key whose maps grow large costs their size on each read and write on RocksDB (never on the heap).
 *
 * <p>The operator that uses it ({@link SequenceOperator}) is otherwise flink-cep's own {@code CepOperator}: this class
 * changes where CEP's state lives, not what CEP does with it.
 *
 * <p>State written by the earlier layouts (CEP's map states, one entry per map entry; then three values per key: the
 * maps, the NFA state, the case) is moved into the values when a snapshot is restored ({@link #moveEarlierLayout}).
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

    /**
     * The value that holds a key's case, flink-cep's NFA state and its four maps ({@link #CASE}, {@link #NFA},
     * {@link #MAPS}): one entry per key.
     */
    static final String VALUE_NAME = "sequence-key/case-nfa-maps";

    /**
     * The earlier layout's value of CEP's four maps of a key, beside CEP's own NFA state ({@link #NFA_STATE}) and the
     * operator's case ({@link SequenceOperator#CASES}): three entries per key, moved into {@link #VALUE_NAME} on restore.
     */
    static final String MAPS_VALUE_NAME = "flink-cep-maps/one-value-per-key";

    /** The fields of a key's value: the case, CEP's NFA state, CEP's four maps. */
    static final int CASE = 0;

    static final int NFA = 1;
    static final int MAPS = 2;

    private final MapStateDescriptor<?, ?>[] earlier = new MapStateDescriptor<?, ?>[CEP_MAP_STATES.size()];
    private final OneValueMapState<?, ?>[] views = new OneValueMapState<?, ?>[CEP_MAP_STATES.size()];
    private final KeyedStateBackend<Object> backend;
    private final int held;
    /** The case's descriptor: its serializer for {@link #CASE}, its name for a restore of the earlier layout. */
    private final ValueStateDescriptor<?> caseDescriptor;
    /** flink-cep's NFA state's descriptor, as CEP asked for it; null until it has. */
    private ValueStateDescriptor<?> nfaDescriptor;
    /** The serializer of the four maps (a {@link Tuple4} of maps), once bound. */
    private TypeSerializer<?> mapsSerializer;
    /** Each key's value, with those of the keys worked on last held ({@link #held} of them). */
    private HeldValueState<Tuple3<Object, Object, Object>> value;
    /** The descriptor of {@link #value}, once bound. */
    private ValueStateDescriptor<Tuple3<Object, Object, Object>> descriptor;

    /**
     * @param backend the operator's keyed state backend
     * @param held the most keys whose values are kept, their changes written once when the key leaves them or at
     *     {@link #flush} (RocksDB); 0 to write every change through (the heap, whose value is the stored object; any
     *     backend whose snapshots may run without the operator's {@code snapshotState}, such as the changelog backend)
     * @param caseDescriptor the operator's case state ({@link SequenceOperator#CASES}), its serializer set
     */
    @SuppressWarnings("unchecked")
    CepPointLookups(KeyedStateBackend<?> backend, int held, ValueStateDescriptor<?> caseDescriptor) {
        this.backend = (KeyedStateBackend<Object>) backend;
        this.held = held;
        this.caseDescriptor = caseDescriptor;
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
                        nfaDescriptor = (ValueStateDescriptor<?>) args[0];
                        return new Field<>(NFA);
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
     * Creates the value that holds the case, the NFA state and the four maps, once flink-cep has asked for all of them
     * (their serializers are the ones CEP gave). Each field may be absent: a key's value is its case alone once CEP
     * has released the key, CEP's state alone for events CEP holds for a key's next case.
     *
     * @param store the operator's own keyed state store (not the wrapped one)
     * @throws IllegalStateException naming the states CEP did not ask for
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
        if (nfaDescriptor == null) {
            missing.add(NFA_STATE);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("flink-cep did not ask for the states " + missing);
        }
        mapsSerializer = new TupleSerializer(Tuple4.class, fields);
        descriptor = new ValueStateDescriptor<>(VALUE_NAME, new TupleSerializer(Tuple3.class, new TypeSerializer<?>[] {
            NullableSerializer.wrap(caseDescriptor.getSerializer(), false),
            NullableSerializer.wrap(nfaDescriptor.getSerializer(), false),
            NullableSerializer.wrap(mapsSerializer, false)
        }));
        value = new HeldValueState<>(store.getState(descriptor), backend, held, true);
    }

    /** @return the value's descriptor (to read every key's case at the end of input), once bound */
    ValueStateDescriptor<Tuple3<Object, Object, Object>> descriptor() {
        return descriptor;
    }

    /**
     * @param <C> the case
     * @return the current key's case, as a value state of its own
     */
    <C> ValueState<C> cases() {
        return new Field<>(CASE);
    }

    /** @return the number of keys whose value is held now */
    int heldKeys() {
        return value.size();
    }

    /** Sets field {@code index} of the current key's value (null: none); a value with no field left is no entry. */
    private void set(int index, Object v) throws java.io.IOException {
        Tuple3<Object, Object, Object> t = stored();
        if (t == null) {
            if (v == null) {
                return;
            }
            t = new Tuple3<>();
        }
        t.setField(v, index);
        if (t.f0 == null && t.f1 == null && t.f2 == null) {
            value.clear();
        } else {
            value.update(t);
        }
    }

    /** @return field {@code index} of the current key's value, or null */
    private Object get(int index) throws java.io.IOException {
        Tuple3<Object, Object, Object> t = stored();
        return t == null ? null : t.getField(index);
    }

    /** @return the current key's value, or null when it has none */
    private Tuple3<Object, Object, Object> stored() throws java.io.IOException {
        if (value == null) {
            throw new IllegalStateException("flink-cep used its state before it had asked for all of it");
        }
        return value.value();
    }

    /** One field of the current key's value, as a value state of its own (the case; flink-cep's NFA state). */
    private final class Field<V> implements ValueState<V> {
        private final int index;

        Field(int index) {
            this.index = index;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V value() throws java.io.IOException {
            return (V) get(index);
        }

        @Override
        public void update(V v) throws java.io.IOException {
            set(index, v);
        }

        @Override
        public void clear() {
            try {
                set(index, null);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot clear a field of a sequence key's value", e);
            }
        }
    }

    /**
     * @param forWrite whether the caller changes a map (then the maps exist afterwards)
     * @return the current key's maps, or null if it has none and {@code forWrite} is false
     */
    @SuppressWarnings("unchecked")
    private Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> maps(
            boolean forWrite) throws Exception {
        Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t =
                (Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>>) get(MAPS);
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
        if (held > 0 && (value.peek() == null || value.peek().f2 != t)) {
            throw new IllegalStateException("a flink-cep map state was changed through a read of another key"
                    + " (the current key is " + backend.getCurrentKey() + ")");
        }
    }

    /** A map of {@code t} (the current key's) changed: stored, or with kept maps written when the key leaves them. */
    private void changed(Tuple4<Map<Object, Object>, Map<Object, Object>, Map<Object, Object>, Map<Object, Object>> t)
            throws Exception {
        set(MAPS, t.f0.isEmpty() && t.f1.isEmpty() && t.f2.isEmpty() && t.f3.isEmpty() ? null : t);
    }

    /**
     * Writes the changes of the values kept, each under its key, and keeps them (RocksDB's snapshot reads the written
     * bytes, not these objects). Called before a snapshot (so the snapshot has every change; the final checkpoint after
     * the end of input included) and before the state is read by other means.
     */
    void flush() throws Exception {
        value.flush();
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
     * Moves state restored from a snapshot of an earlier layout into the values, key by key, and clears it: CEP's own
     * map states (one entry per map entry), then the three values per key of the layout after it (CEP's maps in
     * {@link #MAPS_VALUE_NAME}, CEP's NFA state, the case). Reads only the keys that have such state (none after the
     * first restore).
     *
     * @param store the operator's own keyed state store (not the wrapped one)
     * @return how many keys were moved, per earlier state
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, Integer> moveEarlierLayout(KeyedStateStore store) throws Exception {
        Map<String, Integer> moved = new LinkedHashMap<>();
        Object current = backend.getCurrentKey();
        for (int i = 0; i < earlier.length; i++) {
            String name = CEP_MAP_STATES.get(i);
            List<Object> keys = keysOf(name);
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
            moved.put(name, keys.size());
        }
        ValueStateDescriptor<?>[] values = {
            new ValueStateDescriptor<>(MAPS_VALUE_NAME, mapsSerializer), nfaDescriptor, caseDescriptor
        };
        int[] fields = {MAPS, NFA, CASE};
        for (int i = 0; i < values.length; i++) {
            List<Object> keys = keysOf(values[i].getName());
            if (keys.isEmpty()) {
                continue;
            }
            ValueState<Object> from = (ValueState<Object>) store.getState((ValueStateDescriptor) values[i]);
            for (Object key : keys) {
                backend.setCurrentKey(key);
                Object v = from.value();
                if (v != null) {
                    set(fields[i], v);
                }
                from.clear();
            }
            moved.put(values[i].getName(), keys.size());
        }
        if (!moved.isEmpty()) {
            flush();
        }
        if (current != null) {
            backend.setCurrentKey(current);
        }
        return moved;
    }

    private List<Object> keysOf(String state) {
        try (Stream<Object> s = backend.getKeys(state, VoidNamespace.INSTANCE)) {
            return s.collect(Collectors.toList());
        }
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
