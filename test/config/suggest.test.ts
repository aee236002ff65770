import { didYouMean, editDistance, nearest } from "../../generator/config/suggest.js";

describe("editDistance", () => {
  it.each([
    ["appDir", "appDir", 0],
    ["appdir", "appDir", 0],
    ["esp3", "esp32", 1],
    ["entyr", "entry", 1],
    ["kitten", "sitting", 3],
    ["", "abc", 3],
  ])("%s -> %s is %d", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe("nearest", () => {
  const boards = ["esp8266", "esp32", "rp2-pico-w", "unix"];

  it("finds typos", () => {
    expect(nearest("esp3", boards)).toBe("esp32");
    expect(nearest("esp8226", boards)).toBe("esp8266");
    expect(nearest("rp2-picow", boards)).toBe("rp2-pico-w");
  });

  it("suggests nothing for unrelated words", () => {
    expect(nearest("pico", boards)).toBeUndefined();
    expect(nearest("B", ["A"])).toBeUndefined();
  });

  it("words the hint", () => {
    expect(didYouMean("trialboots", ["trialBoots", "timeoutSeconds"])).toBe("did you mean 'trialBoots'?");
    expect(didYouMean("zzz", ["trialBoots"])).toBeUndefined();
  });
});
