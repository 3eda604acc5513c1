//! Agreement between two reviewers who scored the same service independently: exact and
//! within-one agreement, quadratic-weighted kappa, and the items where they differ by two
//! points or more (the ones to discuss first when agreeing the consensus).

use serde::Serialize;

use crate::evaluation::Scores;
use crate::scale::Scale;

/// An item the reviewers scored two or more points apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    pub id: String,
    pub a: u8,
    pub b: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// Items both reviewers scored.
    pub compared: usize,
    pub exact: usize,
    pub within_one: usize,
    /// Quadratic-weighted kappa; `None` when it is undefined (fewer than two items, or
    /// both reviewers used a single score throughout).
    pub kappa: Option<f64>,
    /// Differences of two or more, largest first.
    pub large: Vec<Disagreement>,
}

impl Agreement {
    pub fn exact_share(&self) -> Option<f64> {
        (self.compared > 0).then(|| self.exact as f64 / self.compared as f64)
    }

    pub fn within_one_share(&self) -> Option<f64> {
        (self.compared > 0).then(|| self.within_one as f64 / self.compared as f64)
    }
}

/// Compares two reviewers' scores on the items of `scale`, in scale order.
pub fn agreement(scale: &Scale, a: &Scores, b: &Scores) -> Agreement {
    let lo = scale.score_min;
    let k = usize::from(scale.score_max - lo) + 1;
    let mut observed = vec![vec![0.0f64; k]; k];
    let mut pairs = Vec::new();
    for item in &scale.items {
        if let (Some(&x), Some(&y)) = (a.get(&item.id), b.get(&item.id))
            && scale.score_range().contains(&x)
            && scale.score_range().contains(&y)
        {
            observed[usize::from(x - lo)][usize::from(y - lo)] += 1.0;
            pairs.push((item.id.clone(), x, y));
        }
    }
    let n = pairs.len();
    let exact = pairs.iter().filter(|(_, x, y)| x == y).count();
    let within_one = pairs.iter().filter(|(_, x, y)| x.abs_diff(*y) <= 1).count();
    let mut large: Vec<Disagreement> = pairs
        .iter()
        .filter(|(_, x, y)| x.abs_diff(*y) >= 2)
        .map(|(id, x, y)| Disagreement { id: id.clone(), a: *x, b: *y })
        .collect();
    large.sort_by_key(|d| std::cmp::Reverse(d.a.abs_diff(d.b)));

    let kappa = if n < 2 { None } else { weighted_kappa(&observed) };
    Agreement { compared: n, exact, within_one, kappa, large }
}

/// Quadratic-weighted kappa of a table of counts: `observed[i][j]` items one reviewer scored
/// at the scale's `i`-th score and the other at its `j`-th, the table as wide as the scale's
/// whole range (not only the scores seen, so that kappa compares across reviews and pairs).
/// `None` when it is undefined (no items, or the table has a single row or column).
pub fn weighted_kappa(observed: &[Vec<f64>]) -> Option<f64> {
    let k = observed.len();
    let total: f64 = observed.iter().flatten().sum();
    if k < 2 || total <= 0.0 {
        return None;
    }
    let row: Vec<f64> = observed.iter().map(|r| r.iter().sum()).collect();
    let col: Vec<f64> = (0..k).map(|j| observed.iter().map(|r| r.get(j).copied().unwrap_or(0.0)).sum()).collect();
    let denom_w = ((k - 1) * (k - 1)) as f64;
    let (mut num, mut den) = (0.0, 0.0);
    for (i, (observed_row, row_total)) in observed.iter().zip(&row).enumerate() {
        for (j, col_total) in col.iter().enumerate() {
            let w = ((i as f64 - j as f64).powi(2)) / denom_w;
            num += w * observed_row.get(j).copied().unwrap_or(0.0);
            den += w * row_total * col_total / total;
        }
    }
    (den > 0.0).then(|| 1.0 - num / den)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scale::tests::tiny_scale;

    fn scores(v: &[u8]) -> Scores {
        ["X1", "X2", "Y1"].iter().zip(v).map(|(k, s)| (k.to_string(), *s)).collect()
    }

    #[test]
    fn perfect_agreement() {
        let s = tiny_scale();
        let a = agreement(&s, &scores(&[1, 3, 5]), &scores(&[1, 3, 5]));
        assert_eq!((a.compared, a.exact, a.within_one), (3, 3, 3));
        assert_eq!(a.kappa, Some(1.0));
        assert!(a.large.is_empty());
    }

    #[test]
    fn known_kappa_value() {
        // Pairs (1,2) (3,3) (5,3): weighted observed disagreement 5/16, expected from the
        // marginals 9/16, so kappa = 1 - 5/9 = 4/9.
        let s = tiny_scale();
        let a = agreement(&s, &scores(&[1, 3, 5]), &scores(&[2, 3, 3]));
        assert_eq!((a.exact, a.within_one), (1, 2));
        let num = (1.0 + 4.0) / 16.0;
        // Marginals: rows 1,3,5 once each; columns 2 once, 3 twice.
        let mut den = 0.0;
        for (i, ri) in [(0usize, 1.0f64), (2, 1.0), (4, 1.0)] {
            for (j, cj) in [(1usize, 1.0f64), (2, 2.0)] {
                den += ((i as f64 - j as f64).powi(2) / 16.0) * ri * cj / 3.0;
            }
        }
        let expected = 1.0 - num / den;
        let kappa = a.kappa.unwrap_or(f64::NAN);
        assert!((kappa - expected).abs() < 1e-12, "{kappa} vs {expected}");
        assert!((kappa - 4.0 / 9.0).abs() < 1e-12, "{kappa}");
        assert_eq!(a.large, vec![Disagreement { id: "Y1".into(), a: 5, b: 3 }]);
    }

    #[test]
    fn reversed_scores_give_a_kappa_of_minus_one() {
        // (1,3) (2,2) (3,1) on a three-point range: observed 2, expected 1 (both weighted).
        let table = vec![vec![0.0, 0.0, 1.0], vec![0.0, 1.0, 0.0], vec![1.0, 0.0, 0.0]];
        assert!((weighted_kappa(&table).unwrap_or(f64::NAN) + 1.0).abs() < 1e-12);
        assert_eq!(weighted_kappa(&[vec![0.0; 3], vec![0.0; 3], vec![0.0; 3]]), None, "no items");
    }

    #[test]
    fn undefined_kappa_and_partial_overlap() {
        let s = tiny_scale();
        let a = agreement(&s, &scores(&[3, 3, 3]), &scores(&[3, 3, 3]));
        assert_eq!(a.kappa, None);
        assert_eq!(a.exact_share(), Some(1.0));
        let only_one: Scores = [("X1".to_string(), 2u8)].into();
        let a = agreement(&s, &only_one, &scores(&[4, 3, 3]));
        assert_eq!(a.compared, 1);
        assert_eq!(a.kappa, None);
        assert_eq!(a.large.len(), 1);
        let none = agreement(&s, &Scores::new(), &Scores::new());
        assert_eq!(none.exact_share(), None);
    }
}
