// ANCHOR: trait-def
pub trait Summary {
    fn summarize_author(&self) -> String;

    fn summarize(&self) -> String {
        format!("(Read more from {}...)", self.summarize_author())
    }
}
// ANCHOR_END: trait-def

// ANCHOR: impl
pub struct Post {
    pub username: String,
    pub content: String,
}

impl Summary for Post {
    fn summarize_author(&self) -> String {
        format!("@{}", self.username)
    }
}
// ANCHOR_END: impl

// ANCHOR: generic
pub fn notify(item: &impl Summary) {
    println!("Breaking news! {}", item.summarize());
}

pub fn notify_all<T: Summary>(items: &[T]) {
    for item in items {
        notify(item);
    }
}
// ANCHOR_END: generic
