package io.rfs.replication.node;

import io.rfs.replication.protocol.GetManifestResponseDecoder;
import io.rfs.replication.protocol.ListManifestsRequestDescriptor;
import io.rfs.replication.protocol.ListManifestsRequestEncoder;
import io.rfs.replication.protocol.ListManifestsResponseDecoder;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutManifestResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestDecoder;
import io.rfs.store.manifest.Version;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.rfs.replication.node.NodeFixture.NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;

class ManifestRequestsTest
{
    @TempDir
    Path directory;

    private NodeFixture fixture;
    private TestClient client;

    @BeforeEach
    void open() throws IOException
    {
        fixture = new NodeFixture(directory.resolve("node"));
        client = fixture.client;
    }

    @AfterEach
    void close()
    {
        fixture.close();
    }

    @Test
    void shouldKeepTheNewestVersionWhateverOrderVersionsArriveIn() throws Exception
    {
        final long newer = client.putManifest(NODE_ID, manifest("docs/a", 200, 20, 2));
        final long older = client.putManifest(NODE_ID, manifest("docs/a", 100, 10, 3));
        final int forcesBefore = fixture.disk.forces;
        fixture.step();
        assertThat(fixture.disk.forces - forcesBefore).as("both appended, then one force").isEqualTo(1);

        final PutManifestResponseDecoder first = client.putManifestResponse(newer);
        assertThat(first.status()).isEqualTo(Status.OK);
        assertThat(first.currentVersion()).isEqualTo(new Version(20, 2));
        final PutManifestResponseDecoder second = client.putManifestResponse(older);
        assertThat(second.status()).as("an older version is not current").isEqualTo(Status.ALREADY_HAD);
        assertThat(second.currentVersion()).isEqualTo(new Version(20, 2));

        final long get = client.getManifest(NODE_ID, "docs/a");
        fixture.step();
        final ManifestDecoder current = client.getManifestResponse(get).manifest(new ManifestDecoder());
        assertThat(current.version()).isEqualTo(new Version(20, 2));
        assertThat(current.size()).isEqualTo(200);
    }

    @Test
    void shouldServeATombstoneAsTheCurrentVersionAndNotFoundForANameNeverWritten() throws Exception
    {
        client.putManifest(NODE_ID, manifest("gone", 10, 1, 1));
        client.putManifest(NODE_ID, Manifest.tombstone("gone", new Version(2, 1)));
        fixture.step();

        final long tombstone = client.getManifest(NODE_ID, "gone");
        final long missing = client.getManifest(NODE_ID, "never");
        fixture.step();

        final GetManifestResponseDecoder deleted = client.getManifestResponse(tombstone);
        assertThat(deleted.status()).isEqualTo(Status.OK);
        assertThat(deleted.manifest(new ManifestDecoder()).isTombstone()).isTrue();
        assertThat(client.getManifestResponse(missing).status()).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void shouldServeTheCurrentVersionAfterARestart() throws Exception
    {
        client.putManifest(NODE_ID, manifest("kept", 7, 5, 1));
        fixture.step();
        fixture.restart();

        final long get = client.getManifest(NODE_ID, "kept");
        fixture.step();

        assertThat(client.getManifestResponse(get).manifest(new ManifestDecoder()).version())
            .isEqualTo(new Version(5, 1));
    }

    @Test
    void shouldListNamesWithAPrefixPageByPageWithNoneMissedOrRepeated() throws Exception
    {
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++)
        {
            final String name = String.format("photos/%03d.jpg", i);
            expected.add(name);
            client.putManifest(NODE_ID, manifest(name, i + 1, 1, 1));
        }
        client.putManifest(NODE_ID, manifest("photo-other", 1, 1, 1));
        client.putManifest(NODE_ID, manifest("videos/1", 1, 1, 1));
        fixture.step();

        final List<String> listed = new ArrayList<>();
        final List<Integer> pageSizes = new ArrayList<>();
        byte[] token = null;
        do
        {
            final long list = client.listManifests(NODE_ID, "photos/", token, 1000, false);
            fixture.step();
            final ListManifestsResponseDecoder page = client.listManifestsResponse(list);
            assertThat(page.status()).isEqualTo(Status.OK);
            pageSizes.add(page.entryCount());
            final ListManifestsResponseDecoder.Entries entries = page.entries();
            while (entries.next())
            {
                listed.add(entries.name());
                assertThat(entries.size()).isEqualTo(Integer.parseInt(entries.name().substring(7, 10)) + 1);
            }
            token = page.hasMore() ? token(page) : null;
        }
        while (token != null);

        assertThat(listed).containsExactlyElementsOf(expected);
        assertThat(pageSizes).as("the node's page size bounds a request for more").containsExactly(10, 10, 5);
    }

    @Test
    void shouldListTombstonesOnlyWhenAsked() throws Exception
    {
        client.putManifest(NODE_ID, manifest("a", 1, 1, 1));
        client.putManifest(NODE_ID, manifest("b", 1, 1, 1));
        client.putManifest(NODE_ID, Manifest.tombstone("b", new Version(2, 1)));
        fixture.step();

        final long live = client.listManifests(NODE_ID, "", null, 100, false);
        final long all = client.listManifests(NODE_ID, "", null, 100, true);
        fixture.step();

        assertThat(names(client.listManifestsResponse(live))).containsExactly("a");
        final ListManifestsResponseDecoder.Entries entries = client.listManifestsResponse(all).entries();
        assertThat(entries.next()).isTrue();
        assertThat(entries.isTombstone()).isFalse();
        assertThat(entries.next()).isTrue();
        assertThat(entries.name()).isEqualTo("b");
        assertThat(entries.isTombstone()).isTrue();
        assertThat(entries.size()).isZero();
        assertThat(entries.next()).isFalse();
    }

    @Test
    void shouldAnswerErrorForAPageTokenItDidNotMake() throws Exception
    {
        client.putManifest(NODE_ID, manifest("a", 1, 1, 1));
        fixture.step();

        final long list = client.listManifests(NODE_ID, "", new byte[]{ 7, 'a' }, 10, false);
        fixture.step();

        final ListManifestsResponseDecoder page = client.listManifestsResponse(list);
        assertThat(page.status()).isEqualTo(Status.ERROR);
        assertThat(page.entryCount()).isZero();
    }

    @Test
    void shouldMatchAPrefixByteWiseEvenWhenItEndsInsideACharacter() throws Exception
    {
        client.putManifest(NODE_ID, manifest("café", 1, 1, 1));
        client.putManifest(NODE_ID, manifest("cafe", 1, 1, 1));
        fixture.step();
        final byte[] cut = {'c', 'a', 'f', (byte)0xC3};

        final long list = client.send(NODE_ID, MessageTypes.LIST_MANIFESTS_REQUEST, listRequest(cut),
            ListManifestsRequestDescriptor.BLOCK_LENGTH + cut.length);
        fixture.step();

        assertThat(names(client.listManifestsResponse(list))).containsExactly("café");
    }

    private static UnsafeBuffer listRequest(final byte[] prefix)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        new ListManifestsRequestEncoder().wrap(buffer, 0).maxEntries(10)
            .prefix(new UnsafeBuffer(prefix), 0, prefix.length);
        return buffer;
    }

    private static byte[] token(final ListManifestsResponseDecoder page)
    {
        final byte[] token = new byte[page.pageTokenLength()];
        page.buffer().getBytes(page.pageTokenOffset(), token);
        return token;
    }

    private static List<String> names(final ListManifestsResponseDecoder page)
    {
        final List<String> names = new ArrayList<>();
        final ListManifestsResponseDecoder.Entries entries = page.entries();
        while (entries.next())
        {
            names.add(entries.name());
        }
        return names;
    }

    static Manifest manifest(final String name, final long size, final long timestamp, final int nodeId)
    {
        final ChunkId id = ChunkId.of(new byte[ChunkId.LENGTH]);
        return new Manifest(name, size, new byte[32], new ChunkId[]{ id }, new int[]{ (int)size },
            new Version(timestamp, nodeId), false);
    }
}
