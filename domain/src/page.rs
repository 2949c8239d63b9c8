//! One page of a longer list.

use serde::{Deserialize, Serialize};

/// The items of one page and what is needed to draw the pager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many items match in all, or, when `more` is set, how many of them the list holds.
    pub total: u64,
    /// Whether more items match than the list holds (a list that stops counting at a bound).
    #[serde(default)]
    pub more: bool,
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
}

impl<T> Page<T> {
    /// How many pages the matching items fill (at least one, so "page 1 of 1" reads right).
    pub fn page_count(&self) -> u32 {
        let size = u64::from(self.page_size.max(1));
        u32::try_from(self.total.div_ceil(size)).unwrap_or(u32::MAX).max(1)
    }

    pub fn has_previous(&self) -> bool {
        self.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.page < self.page_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(total: u64, page: u32) -> Page<()> {
        Page { items: vec![], total, more: false, page, page_size: 20 }
    }

    #[test]
    fn the_pager_knows_its_neighbours() {
        assert_eq!(page(0, 1).page_count(), 1);
        assert_eq!(page(20, 1).page_count(), 1);
        assert_eq!(page(21, 1).page_count(), 2);
        assert!(!page(21, 1).has_previous());
        assert!(page(21, 1).has_next());
        assert!(page(21, 2).has_previous());
        assert!(!page(21, 2).has_next());
    }
}
