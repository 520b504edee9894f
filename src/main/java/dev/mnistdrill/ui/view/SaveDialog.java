package dev.mnistdrill.ui.view;

import java.io.File;
import java.nio.file.Path;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Where to save a file, asked the same way everywhere in the window (FX thread); null when the user cancels. */
final class SaveDialog {
    private SaveDialog() {
    }

    static Path png(Window owner, String title, String initialName) {
        return ask(owner, title, initialName, new FileChooser.ExtensionFilter("PNG image", "*.png"));
    }

    static Path markdown(Window owner, String title, String initialName) {
        return ask(owner, title, initialName, new FileChooser.ExtensionFilter("Markdown", "*.md"));
    }

    private static Path ask(Window owner, String title, String initialName, FileChooser.ExtensionFilter kind) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.setInitialFileName(initialName);
        chooser.getExtensionFilters().add(kind);
        File file = chooser.showSaveDialog(owner);
        return file == null ? null : file.toPath();
    }
}
