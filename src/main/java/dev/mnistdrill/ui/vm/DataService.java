package dev.mnistdrill.ui.vm;

import dev.mnistdrill.data.Batch;
import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.train.Trainer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import dev.mnistdrill.data.DataProgress;

/**
 * MNIST for the whole window, loaded once on a worker thread. A failure (no network, corrupt files) is shown as a
 * message and can be retried; it never takes the window down.
 */
public final class DataService {
    private final Function<DataProgress, MnistData> loader;
    private final Executor executor;
    private final ReadOnlyObjectWrapper<MnistData> data = new ReadOnlyObjectWrapper<>(this, "data");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "MNIST not loaded yet");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private CompletableFuture<MnistData> pending;
    private volatile List<Batch> testBatches;

    public DataService(Function<DataProgress, MnistData> loader, Executor executor) {
        this.loader = loader;
        this.executor = executor;
    }

    /** Loads MNIST unless it is loaded or loading; call on the FX thread. */
    public CompletableFuture<MnistData> load() {
        if (data.get() != null) {
            return CompletableFuture.completedFuture(data.get());
        }
        if (pending != null) {
            return pending;
        }
        loading.set(true);
        error.set(null);
        status.set("Loading MNIST…");
        CompletableFuture<MnistData> future = CompletableFuture.supplyAsync(
                () -> loader.apply((message, fraction) -> Fx.run(() -> status.set(message))), executor);
        pending = future;
        future.whenComplete((loaded, failure) -> Fx.run(() -> {
            pending = null;
            loading.set(false);
            if (failure != null) {
                error.set("MNIST could not be loaded: " + Fx.message(failure));
                status.set(error.get());
            } else {
                data.set(loaded);
                status.set(String.format(java.util.Locale.ROOT, "MNIST: %,d training and %,d test digits",
                        loaded.train().size(), loaded.test().size()));
            }
        }));
        return future;
    }

    /** The test set as network batches, built once (worker threads only: touches ND4J). */
    public List<Batch> testBatches(MnistData loaded) {
        List<Batch> batches = testBatches;
        if (batches == null) {
            synchronized (this) {
                if (testBatches == null) {
                    testBatches = Trainer.testBatches(loaded.test());
                }
                batches = testBatches;
            }
        }
        return batches;
    }

    public ReadOnlyObjectProperty<MnistData> dataProperty() {
        return data.getReadOnlyProperty();
    }

    public MnistData data() {
        return data.get();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }
}
