package io.rfs.store.manifest;

import io.rfs.store.FileStat;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.log.Disk;
import io.rfs.store.log.StoredRecord;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static io.rfs.store.log.RecordDescriptor.KEY_OFFSET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestStoreTest
{
    private static final int CAPACITY = 1024 * 1024;

    @TempDir
    Path dir;

    private final HybridLogicalClock clock = new HybridLogicalClock(new CachedEpochClock());

    @Test
    void shouldMakeAnAppendedManifestCurrentOnlyWhenPublished() throws IOException
    {
        try (ManifestStore store = open())
        {
            final long older = store.append(decoder(manifest("a", 10, 1)));
            store.force();
            assertThat(store.stat("a")).as("not current before publish").isNull();

            assertThat(store.publish(older)).isTrue();
            final long newer = store.append(decoder(manifest("a", 20, 3)));
            final long stale = store.append(decoder(manifest("a", 15, 2)));
            store.force();

            assertThat(store.publish(newer)).isTrue();
            assertThat(store.publish(stale)).as("an older version does not replace a newer one").isFalse();
            assertThat(store.stat("a").version()).isEqualTo(new Version(3, 1));
            assertThat(store.current("a").size()).isEqualTo(20);
        }
        try (ManifestStore store = open())
        {
            assertThat(store.stat("a").version()).as("recovered").isEqualTo(new Version(3, 1));
        }
    }

    @Test
    void shouldLocateTheCurrentRecordAsStored() throws IOException
    {
        try (ManifestStore store = open())
        {
            final Manifest manifest = manifest("dir/file", 123, 5);
            store.put(manifest);
            final StoredRecord record = new StoredRecord();

            assertThat(store.locateCurrent("dir/file", record)).isTrue();
            assertThat(ManifestCodec.decode(record.buffer(), record.payloadOffset(), record.storedLength()).toStat())
                .isEqualTo(manifest.toStat());
            assertThat(store.locateCurrent("other", record)).isFalse();

            ((MutableDirectBuffer)record.buffer()).putByte(
                io.rfs.store.log.SegmentLog.offset(record.location()) + KEY_OFFSET, (byte)0x55);
            assertThatThrownBy(() -> store.locateCurrent("dir/file", record))
                .isInstanceOf(CorruptManifestException.class);
        }
    }

    @Test
    void shouldListOnePageAtATimeAfterAName() throws IOException
    {
        try (ManifestStore store = open())
        {
            for (final String name : List.of("a/1", "a/2", "a/3", "a/4", "b/1"))
            {
                store.put(manifest(name, 1, 1));
            }
            store.put(Manifest.tombstone("a/3", new Version(2, 1)));

            assertThat(names(store.list("a/", null, false, 2))).containsExactly("a/1", "a/2");
            assertThat(names(store.list("a/", "a/2", false, 2))).containsExactly("a/4");
            assertThat(names(store.list("a/", "a/2", true, 2))).containsExactly("a/3", "a/4");
            assertThat(names(store.list("a/", "a/4", true, 2))).isEmpty();
            assertThat(names(store.list("", "", true, 10))).containsExactly("a/1", "a/2", "a/3", "a/4", "b/1");
            assertThat(names(store.list("b", "a/9", false, 10))).containsExactly("b/1");
        }
    }

    @Test
    void shouldShareOneDigestStringAmongTheTombstonesItHoldsAfterPutsAndARestart() throws IOException
    {
        try (ManifestStore store = open())
        {
            store.put(Manifest.tombstone("a", new Version(1, 1)));
            store.put(Manifest.tombstone("b", new Version(1, 1)));
            assertThat(store.stat("a").sha256()).isSameAs(store.stat("b").sha256());
        }
        try (ManifestStore store = open())
        {
            assertThat(store.stat("a").sha256()).as("after recovery").isSameAs(store.stat("b").sha256())
                .isEqualTo(HexFormat.of().formatHex(Manifest.EMPTY_SHA256));
        }
    }

    @Test
    void shouldDropEveryVersionOfANameSoThatNoOlderOneComesBackAfterARestart() throws IOException
    {
        final List<FileStat> told = new java.util.ArrayList<>();
        try (ManifestStore store = open())
        {
            store.indexListener((previous, current) -> told.add(current));
            store.put(manifest("a", 10, 1));
            store.put(manifest("a", 20, 2));
            store.put(Manifest.tombstone("a", new Version(3, 1)));
            store.put(manifest("b", 30, 1));
            final boolean[] dropped = new boolean[1];

            assertThat(store.drop(List.of("a"), List.of(new Version(3, 1)), dropped)).isEqualTo(1);

            assertThat(dropped[0]).isTrue();
            assertThat(store.stat("a")).isNull();
            assertThat(told).as("the listener hears the name go").endsWith((FileStat)null);
            assertThat(store.stat("b").size()).isEqualTo(30);
        }
        try (ManifestStore store = open())
        {
            assertThat(store.stat("a")).as("neither the tombstone nor an older live version is back").isNull();
            assertThat(names(store.list("", null, true, 10))).containsExactly("b");
        }
    }

    @Test
    void shouldKeepANameHeldAtANewerVersionThanTheDropAllows() throws IOException
    {
        try (ManifestStore store = open())
        {
            store.put(manifest("a", 10, 1));
            store.put(manifest("a", 20, 5));
            final boolean[] dropped = new boolean[2];

            assertThat(store.drop(List.of("a", "never"), List.of(new Version(4, 1), new Version(9, 9)), dropped))
                .isZero();

            assertThat(dropped).containsExactly(false, false);
            assertThat(store.stat("a").version()).isEqualTo(new Version(5, 1));
        }
        try (ManifestStore store = open())
        {
            assertThat(store.stat("a").version()).as("nothing flagged").isEqualTo(new Version(5, 1));
        }
    }

    @Test
    void shouldHoldANameAgainWhenAVersionIsWrittenAfterItsDrop() throws IOException
    {
        try (ManifestStore store = open())
        {
            store.put(manifest("a", 10, 1));
            store.drop(List.of("a"), List.of(new Version(1, 1)), new boolean[1]);
            store.put(manifest("a", 40, 7));
        }
        try (ManifestStore store = open())
        {
            assertThat(store.stat("a").version()).isEqualTo(new Version(7, 1));
            assertThat(store.stat("a").size()).isEqualTo(40);
        }
    }

    private ManifestStore open() throws IOException
    {
        return ManifestStore.open(dir, new Disk(), CAPACITY, clock);
    }

    private static List<String> names(final List<FileStat> stats)
    {
        return stats.stream().map(FileStat::name).toList();
    }

    private static Manifest manifest(final String name, final long size, final long timestamp)
    {
        final ChunkId id = ChunkId.of(new byte[ChunkId.LENGTH]);
        return new Manifest(name, size, new byte[32], new ChunkId[]{ id }, new int[]{ (int)size },
            new Version(timestamp, 1), false);
    }

    private static ManifestDecoder decoder(final Manifest manifest) throws CorruptManifestException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ManifestCodec.encodedLength(manifest)]);
        final int length = ManifestCodec.encode(manifest, buffer, 0);
        return new ManifestDecoder().wrap(buffer, 0, length);
    }
}
