package dev.mnistdrill.ui.view;

import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.ui.control.LayerStatsComparison;
import dev.mnistdrill.ui.util.Formats;
import dev.mnistdrill.ui.vm.Fx;
import dev.mnistdrill.ui.vm.RunsViewModel;
import java.util.Comparator;
import java.util.function.Supplier;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.util.StringConverter;

/**
 * The "compare with" picker of a layer-statistics view: a saved run whose statistics show under the main run's, on
 * the same axes. Runs are listed afresh when the box opens; their statistics are read on a worker.
 */
final class ComparedRun {
    private final ComboBox<RunRecord> box;
    private final LayerStatsComparison view;
    private final WorkbenchContext context;
    private final Supplier<String> mainRunId;
    private boolean refilling;

    private ComparedRun(ComboBox<RunRecord> box, LayerStatsComparison view, WorkbenchContext context,
                        Supplier<String> mainRunId) {
        this.box = box;
        this.view = view;
        this.context = context;
        this.mainRunId = mainRunId;
    }

    /** Wires {@code box} (and {@code clear}, which takes the compared run away) to {@code view}. */
    static ComparedRun wire(ComboBox<RunRecord> box, Button clear, LayerStatsComparison view,
                            WorkbenchContext context, Supplier<String> mainRunId) {
        ComparedRun picker = new ComparedRun(box, view, context, mainRunId);
        box.setConverter(new StringConverter<>() {
            @Override
            public String toString(RunRecord r) {
                return r == null ? "" : label(r);
            }

            @Override
            public RunRecord fromString(String s) {
                return null;
            }
        });
        box.setOnShowing(e -> picker.refill());
        box.setOnAction(e -> {
            if (!picker.refilling) {
                picker.show(box.getValue());
            }
        });
        clear.setOnAction(e -> box.setValue(null));
        clear.setTooltip(new javafx.scene.control.Tooltip("Show the run alone again"));
        box.setTooltip(new javafx.scene.control.Tooltip("Another run's layer statistics under these, on the same "
                + "axes: e.g. code2 (BatchNorm) under code1 (none)"));
        clear.disableProperty().bind(box.valueProperty().isNull());
        return picker;
    }

    /** Precise: a list of every run may hold the same seed of two studies of one preset. */
    static String label(RunRecord r) {
        return Formats.runLabel(r, true) + (r.config().batchNorm() ? " · BN" : " · no BN");
    }

    private void refill() {
        refilling = true;
        try {
            RunRecord shown = box.getValue();
            String main = mainRunId.get();
            box.getItems().setAll(context.runs().rows().stream().map(RunsViewModel.RunRow::record)
                    .filter(r -> !r.id().equals(main) && r.summary().epochsCompleted() > 0)
                    .sorted(Comparator.comparing(RunRecord::id).reversed()).toList());
            box.setValue(shown == null ? null : box.getItems().stream().filter(r -> r.id().equals(shown.id()))
                    .findFirst().orElse(shown));
        } finally {
            refilling = false;
        }
    }

    /** Shows {@code run}'s statistics under the main run's, or none for null. */
    void show(RunRecord run) {
        if (run == null) {
            view.hideCompared();
            return;
        }
        context.runs().layerStats(run).whenComplete((stats, failure) -> Fx.run(() -> {
            if (box.getValue() == null || !box.getValue().id().equals(run.id())) {
                return; // another run was picked meanwhile
            }
            if (failure != null) {
                view.showCompared(java.util.List.of(), run.config().epochs(), label(run) + ": "
                        + Fx.message(failure));
            } else {
                view.showCompared(stats, run.config().epochs(), label(run));
            }
        }));
    }
}
