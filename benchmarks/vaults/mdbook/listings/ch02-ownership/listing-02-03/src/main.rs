fn main() {
    // ANCHOR: here
    let s1 = String::from("hello");

    let len = calculate_length(&s1);

    println!("The length of '{s1}' is {len}.");
    // ANCHOR_END: here

    // ANCHOR: mutable
    let mut s = String::from("hello");
    change(&mut s);
    println!("{s}");
    // ANCHOR_END: mutable
}

fn calculate_length(s: &String) -> usize {
    s.len()
}

fn change(some_string: &mut String) {
    some_string.push_str(", world");
}
