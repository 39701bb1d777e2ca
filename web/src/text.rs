//! [`Text`]: the page's text, shared rather than copied (it can be 16 MiB), and compared by
//! pointer first; [`Shared`]: a result compared by pointer alone.
//!
//! `Rc<str>`'s own equality compares the characters even when both sides are the same
//! allocation: every hook that depends on the text compared 16 MiB with itself on every render
//! (120 ms of a 200 ms task, measured). Two `Text`s from one allocation are equal at once.

use std::ops::Deref;
use std::rc::Rc;

#[derive(Clone, Default)]
pub struct Text(Rc<str>);

impl Text {
    /// Whether both are the same allocation (not only the same characters).
    pub fn ptr_eq(a: &Text, b: &Text) -> bool {
        Rc::ptr_eq(&a.0, &b.0)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        Text::ptr_eq(self, other) || *self.0 == *other.0
    }
}

impl Eq for Text {}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.len() > 200 {
            write!(f, "Text({} bytes)", self.0.len())
        } else {
            write!(f, "Text({:?})", &*self.0)
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(s.into())
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(s.into())
    }
}

/// A value shared by `Rc` and compared by pointer alone: a hook's dependency on a result
/// (an analysis of 450,000 diagnostics) that must not be compared field by field.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_by_pointer_or_by_content() {
        let a = Text::from("abc");
        let b = a.clone();
        assert!(Text::ptr_eq(&a, &b));
        assert_eq!(a, b);
        let c = Text::from("abc".to_owned());
        assert!(!Text::ptr_eq(&a, &c));
        assert_eq!(a, c);
        assert_ne!(a, Text::from("abd"));
        assert_eq!(&*a, "abc");
        assert_eq!(
            format!("{:?}", Text::from("x".repeat(300))),
            "Text(300 bytes)"
        );
    }
}
