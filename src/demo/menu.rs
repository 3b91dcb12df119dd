//! The demo restaurant's catalog: stations, a 40-dish menu, prep items with batch rules,
//! recipes and staff roles with labor rules.

/// `(name, unit, batch, min batch, max batch, shelf life h, prep min, par, station)`.
pub type PrepSpec = (&'static str, &'static str, f64, f64, Option<f64>, i32, i32, f64, &'static str);

pub const STATIONS: &[&str] = &["Garde manger", "Grill", "Sauté", "Pastry", "Prep"];

pub const PREP_ITEMS: &[PrepSpec] = &[
    ("Chicken stock", "l", 10.0, 10.0, Some(60.0), 96, 240, 10.0, "Prep"),
    ("Veal demi-glace", "l", 2.0, 2.0, Some(12.0), 120, 360, 2.0, "Prep"),
    ("Tomato sauce", "l", 4.0, 4.0, Some(24.0), 72, 90, 4.0, "Prep"),
    ("Fresh pasta dough", "kg", 2.0, 2.0, Some(12.0), 24, 60, 1.0, "Prep"),
    ("Pizza dough", "each", 20.0, 20.0, Some(120.0), 48, 45, 20.0, "Prep"),
    ("Caramelized onions", "kg", 1.0, 1.0, Some(6.0), 72, 75, 0.5, "Prep"),
    ("Braised short rib", "each", 12.0, 12.0, Some(48.0), 72, 240, 6.0, "Grill"),
    ("Marinated chicken thighs", "kg", 2.0, 2.0, Some(16.0), 48, 30, 2.0, "Grill"),
    ("Burger patties", "each", 20.0, 20.0, Some(160.0), 24, 30, 20.0, "Grill"),
    ("Chimichurri", "l", 0.5, 0.5, Some(3.0), 48, 20, 0.5, "Grill"),
    ("Portioned salmon", "each", 10.0, 10.0, Some(60.0), 24, 25, 6.0, "Sauté"),
    ("Beurre blanc base", "l", 0.5, 0.5, Some(3.0), 24, 25, 0.5, "Sauté"),
    ("Mushroom duxelles", "kg", 1.0, 1.0, Some(5.0), 48, 40, 0.5, "Sauté"),
    ("Risotto par-cook", "kg", 2.0, 2.0, Some(12.0), 24, 35, 1.0, "Sauté"),
    ("House vinaigrette", "l", 1.0, 1.0, Some(8.0), 120, 10, 1.0, "Garde manger"),
    ("Washed greens", "kg", 1.0, 1.0, Some(10.0), 24, 30, 1.0, "Garde manger"),
    ("Aioli", "l", 0.5, 0.5, Some(4.0), 72, 15, 0.5, "Garde manger"),
    ("Pickled shallots", "kg", 0.5, 0.5, Some(3.0), 168, 20, 0.25, "Garde manger"),
    ("Hummus", "kg", 1.0, 1.0, Some(6.0), 72, 25, 0.5, "Garde manger"),
    ("Cut fries", "kg", 5.0, 5.0, Some(40.0), 24, 40, 5.0, "Prep"),
    ("Chocolate mousse", "each", 12.0, 12.0, Some(48.0), 48, 45, 6.0, "Pastry"),
    ("Crème brûlée base", "each", 12.0, 12.0, Some(48.0), 72, 60, 6.0, "Pastry"),
    ("Tart shells", "each", 12.0, 12.0, Some(48.0), 96, 90, 6.0, "Pastry"),
    ("Vanilla ice cream", "l", 2.0, 2.0, Some(10.0), 168, 50, 2.0, "Pastry"),
    ("Focaccia", "each", 2.0, 2.0, Some(10.0), 24, 180, 1.0, "Pastry"),
];

/// `(name, category, price in cents, popularity, [(prep item, quantity per portion)])`.
pub type DishSpec = (&'static str, &'static str, i64, f64, &'static [(&'static str, f64)]);

pub const MENU: &[DishSpec] = &[
    ("Burrata & heirloom tomato", "starter", 1600, 1.2, &[("House vinaigrette", 0.02), ("Washed greens", 0.03)]),
    ("Caesar salad", "starter", 1300, 1.5, &[("Washed greens", 0.12), ("Aioli", 0.03)]),
    (
        "Mixed green salad",
        "starter",
        1100,
        1.0,
        &[("Washed greens", 0.1), ("House vinaigrette", 0.03), ("Pickled shallots", 0.01)],
    ),
    ("Hummus plate", "starter", 1200, 0.9, &[("Hummus", 0.15), ("Focaccia", 0.1)]),
    ("Crispy calamari", "starter", 1500, 1.1, &[("Aioli", 0.04)]),
    ("Tomato soup", "starter", 1000, 0.8, &[("Tomato sauce", 0.25), ("Chicken stock", 0.1)]),
    ("French onion soup", "starter", 1200, 0.9, &[("Caramelized onions", 0.08), ("Chicken stock", 0.3)]),
    ("Mushroom toast", "starter", 1300, 0.7, &[("Mushroom duxelles", 0.08), ("Focaccia", 0.1)]),
    ("Beef tartare", "starter", 1800, 0.6, &[("Pickled shallots", 0.02), ("Aioli", 0.02)]),
    ("Focaccia & olive oil", "starter", 800, 1.3, &[("Focaccia", 0.125)]),
    (
        "Cheeseburger",
        "main",
        1900,
        2.5,
        &[("Burger patties", 1.0), ("Caramelized onions", 0.03), ("Aioli", 0.02), ("Cut fries", 0.2)],
    ),
    ("Braised short rib", "main", 3400, 1.4, &[("Braised short rib", 1.0), ("Veal demi-glace", 0.08)]),
    ("Grilled chicken", "main", 2600, 1.6, &[("Marinated chicken thighs", 0.25), ("Chimichurri", 0.04)]),
    ("Steak frites", "main", 3600, 1.8, &[("Chimichurri", 0.04), ("Cut fries", 0.2), ("Veal demi-glace", 0.05)]),
    ("Seared salmon", "main", 3100, 1.5, &[("Portioned salmon", 1.0), ("Beurre blanc base", 0.06)]),
    (
        "Mushroom risotto",
        "main",
        2400,
        1.1,
        &[("Risotto par-cook", 0.2), ("Mushroom duxelles", 0.05), ("Chicken stock", 0.2)],
    ),
    ("Tagliatelle bolognese", "main", 2500, 1.5, &[("Fresh pasta dough", 0.14), ("Tomato sauce", 0.15)]),
    ("Pappardelle mushroom", "main", 2400, 0.9, &[("Fresh pasta dough", 0.14), ("Mushroom duxelles", 0.06)]),
    ("Margherita pizza", "main", 1800, 1.7, &[("Pizza dough", 1.0), ("Tomato sauce", 0.1)]),
    ("Onion & gorgonzola pizza", "main", 2000, 0.8, &[("Pizza dough", 1.0), ("Caramelized onions", 0.06)]),
    ("Fish of the day", "main", 3300, 0.9, &[("Beurre blanc base", 0.06), ("Washed greens", 0.04)]),
    ("Chicken Milanese", "main", 2500, 0.8, &[("Marinated chicken thighs", 0.22), ("Washed greens", 0.05)]),
    ("Vegetable tagine", "main", 2200, 0.6, &[("Tomato sauce", 0.12), ("Chicken stock", 0.15)]),
    ("Short rib ragù", "main", 2700, 0.7, &[("Fresh pasta dough", 0.14), ("Braised short rib", 0.5)]),
    ("Fries", "side", 700, 2.0, &[("Cut fries", 0.25), ("Aioli", 0.02)]),
    ("Side salad", "side", 600, 0.9, &[("Washed greens", 0.06), ("House vinaigrette", 0.02)]),
    ("Roasted mushrooms", "side", 800, 0.6, &[("Mushroom duxelles", 0.04)]),
    ("Creamed spinach", "side", 800, 0.5, &[]),
    ("Garlic bread", "side", 600, 0.8, &[("Focaccia", 0.1)]),
    ("Chocolate mousse", "dessert", 1100, 1.2, &[("Chocolate mousse", 1.0)]),
    ("Crème brûlée", "dessert", 1100, 1.3, &[("Crème brûlée base", 1.0)]),
    ("Lemon tart", "dessert", 1100, 0.9, &[("Tart shells", 1.0)]),
    ("Apple tart à la mode", "dessert", 1200, 0.8, &[("Tart shells", 1.0), ("Vanilla ice cream", 0.08)]),
    ("Affogato", "dessert", 900, 0.6, &[("Vanilla ice cream", 0.1)]),
    ("Ice cream trio", "dessert", 900, 0.7, &[("Vanilla ice cream", 0.15)]),
    ("House lemonade", "drink", 500, 1.5, &[]),
    ("Iced tea", "drink", 450, 1.2, &[]),
    ("Espresso", "drink", 400, 1.4, &[]),
    ("Sparkling water", "drink", 600, 1.6, &[]),
    ("Kids pasta", "main", 1200, 0.5, &[("Fresh pasta dough", 0.08), ("Tomato sauce", 0.08)]),
];

/// `(name, driver, ratio per hour, min, max)`.
pub const ROLES: &[(&str, &str, f64, i32, i32)] = &[
    ("Line cook", "covers", 18.0, 2, 7),
    ("Server", "covers", 14.0, 2, 9),
    ("Host", "covers", 60.0, 1, 2),
    ("Dishwasher", "covers", 40.0, 1, 3),
    ("Takeout packer", "orders", 10.0, 0, 2),
];
