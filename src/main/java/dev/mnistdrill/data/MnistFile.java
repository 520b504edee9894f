package dev.mnistdrill.data;

/** The four raw (uncompressed) IDX files of MNIST, with the SHA-256 every copy must match before use. */
public enum MnistFile {
    TRAIN_IMAGES("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 60_000, true),
    TRAIN_LABELS("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 60_000, false),
    TEST_IMAGES("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 10_000, true),
    TEST_LABELS("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 10_000, false);

    private final String fileName;
    private final String sha256;
    private final int count;
    private final boolean images;

    MnistFile(String fileName, String sha256, int count, boolean images) {
        this.fileName = fileName;
        this.sha256 = sha256;
        this.count = count;
        this.images = images;
    }

    public String fileName() {
        return fileName;
    }

    public String sha256() {
        return sha256;
    }

    public int count() {
        return count;
    }

    public boolean isImages() {
        return images;
    }

    /** Exact byte length of the raw file: 16-byte image header + 28x28 per image, or 8-byte label header + 1 each. */
    public long expectedLength() {
        return images ? 16L + (long) count * 28 * 28 : 8L + count;
    }
}
