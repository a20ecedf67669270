fn main() {
    let string1 = String::from("abcd");
    let string2 = "xyz";

    let result = longest(string1.as_str(), string2);
    println!("The longest string is {result}");
}

// ANCHOR: longest
fn longest<'a>(x: &'a str, y: &'a str) -> &'a str {
    if x.len() > y.len() {
        x
    } else {
        y
    }
}
// ANCHOR_END: longest

// ANCHOR: elision
fn first_word(s: &str) -> &str {
    // 省略规则推导为 fn first_word<'a>(s: &'a str) -> &'a str
    s.split(' ').next().unwrap_or("")
}
// ANCHOR_END: elision

#[allow(dead_code)]
fn use_first_word() {
    println!("{}", first_word("hello world"));
}
