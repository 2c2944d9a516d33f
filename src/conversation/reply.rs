//! What the engine answers with: text, buttons and, sometimes, a file.

/// One outgoing message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reply {
    pub text: String,
    /// Rows of buttons under the message.
    pub keyboard: Vec<Vec<Button>>,
    /// A file sent after the text: a document (the export) or a picture (`/progress`).
    pub document: Option<Document>,
}

/// A button: what it says, and the data it sends back when pressed (at most 64 bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub data: String,
}

/// A file sent with a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// Shown as a picture (Telegram's sendPhoto) rather than as a file.
    pub is_picture: bool,
}

impl Reply {
    pub fn text(text: impl Into<String>) -> Self {
        Reply {
            text: text.into(),
            ..Reply::default()
        }
    }

    /// Adds a row of buttons.
    pub fn row(mut self, buttons: impl IntoIterator<Item = Button>) -> Self {
        self.keyboard.push(buttons.into_iter().collect());
        self
    }

    pub fn with_document(mut self, document: Document) -> Self {
        self.document = Some(document);
        self
    }

    /// Every button, row by row.
    pub fn buttons(&self) -> impl Iterator<Item = &Button> {
        self.keyboard.iter().flatten()
    }
}

impl Button {
    pub fn new(label: impl Into<String>, data: impl Into<String>) -> Self {
        Button {
            label: label.into(),
            data: data.into(),
        }
    }
}
