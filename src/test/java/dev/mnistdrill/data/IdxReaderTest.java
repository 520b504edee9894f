package dev.mnistdrill.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @Test
    void readsImagesAndLabels() {
        IdxReader.IdxArray images = IdxReader.parse(IdxFiles.images(3, 28, 28, (byte) 200), "imgs");
        assertArrayEquals(new int[] {3, 28, 28}, images.dims());
        assertEquals(3 * 784, images.data().length);
        assertEquals((byte) 200, images.data()[100]);
        IdxReader.IdxArray labels = IdxReader.parse(IdxFiles.labels(3, 7), "labels");
        MnistSplit split = MnistSplit.of(images, labels, "test");
        assertEquals(3, split.size());
        assertEquals(7, split.label(2));
        assertEquals(200 / 255f, split.image(1)[5], 1e-6);
    }

    @Test
    void rejectsBadMagicNamingTheFile() {
        byte[] bytes = IdxFiles.labels(3, 1);
        bytes[0] = 0x1f; // e.g. a gzip file passed as raw
        DataException e = assertThrows(DataException.class, () -> IdxReader.parse(bytes, "train-labels-idx1-ubyte"));
        assertTrue(e.getMessage().startsWith("train-labels-idx1-ubyte: not an IDX file"), e.getMessage());
    }

    @Test
    void rejectsNonByteElementType() {
        byte[] bytes = IdxFiles.labels(3, 1);
        bytes[2] = 0x0D; // float
        assertTrue(assertThrows(DataException.class, () -> IdxReader.parse(bytes, "f")).getMessage()
                .contains("element type 0xd"));
    }

    @Test
    void rejectsTruncatedData() {
        byte[] full = IdxFiles.images(2, 28, 28, (byte) 1);
        byte[] cut = Arrays.copyOf(full, full.length - 10);
        DataException e = assertThrows(DataException.class, () -> IdxReader.parse(cut, "t10k-images-idx3-ubyte"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(full.length)), e.getMessage());
    }

    @Test
    void rejectsTruncatedHeaderAndEmptyFile() {
        assertTrue(assertThrows(DataException.class, () -> IdxReader.parse(new byte[0], "x")).getMessage()
                .contains("truncated"));
        byte[] header = Arrays.copyOf(IdxFiles.images(2, 28, 28, (byte) 1), 9);
        assertTrue(assertThrows(DataException.class, () -> IdxReader.parse(header, "x")).getMessage()
                .contains("truncated header"));
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] full = IdxFiles.labels(4, 2);
        byte[] longer = Arrays.copyOf(full, full.length + 3);
        assertTrue(assertThrows(DataException.class, () -> IdxReader.parse(longer, "x")).getMessage()
                .contains("3 unexpected bytes"));
    }

    @Test
    void rejectsMismatchedImagesAndLabels() {
        IdxReader.IdxArray images = IdxReader.parse(IdxFiles.images(3, 28, 28, (byte) 0), "i");
        IdxReader.IdxArray labels = IdxReader.parse(IdxFiles.labels(4, 1), "l");
        assertTrue(assertThrows(DataException.class, () -> MnistSplit.of(images, labels, "training set"))
                .getMessage().contains("3 images but 4 labels"));
        IdxReader.IdxArray small = IdxReader.parse(IdxFiles.images(4, 14, 14, (byte) 0), "i");
        assertTrue(assertThrows(DataException.class, () -> MnistSplit.of(small, labels, "training set"))
                .getMessage().contains("expected [n, 28, 28]"));
        IdxReader.IdxArray badLabels = IdxReader.parse(IdxFiles.labels(3, 12), "l");
        assertTrue(assertThrows(DataException.class, () -> MnistSplit.of(images, badLabels, "test set"))
                .getMessage().contains("label 12"));
    }

    @Test
    void missingFileIsAClearError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nothing-here");
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().startsWith("nothing-here: cannot be read"), e.getMessage());
        Files.write(file, IdxFiles.labels(2, 3));
        assertEquals(2, IdxReader.read(file).count());
    }
}
