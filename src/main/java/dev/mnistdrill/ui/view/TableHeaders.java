package dev.mnistdrill.ui.view;

import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;

/** Column headers that explain themselves on hover. */
final class TableHeaders {
    private TableHeaders() {
    }

    /** Replaces the column's text by a label with the same text and {@code tip} as its tooltip. */
    static void tip(TableColumn<?, ?> column, String tip) {
        Label header = new Label(column.getText());
        column.setText("");
        header.setTooltip(new Tooltip(tip));
        header.setMaxWidth(Double.MAX_VALUE);
        column.setGraphic(header);
        column.getStyleClass().add("tipped-header");
    }
}
