//! Sous's sea-orm entities: one module a table, no business logic.
pub mod data_version;
pub mod job_run;
pub mod llm_call;
pub mod location;
pub mod menu_item;
pub mod on_hand_count;
pub mod order;
pub mod order_line;
pub mod plan;
pub mod prep_item;
pub mod recipe_line;
pub mod reservation;
pub mod reservation_guest;
pub mod staff_role;
pub mod station;
pub mod tenant;
