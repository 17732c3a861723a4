using System.Globalization;

namespace GlobusAutomate.Definitions;

/// <summary>
/// Checks the syntax of a flow expression (the value of a <c>.=</c> parameter): Python-like literals, names, dot and
/// index access, slices, calls, arithmetic, comparisons, <c>and</c>/<c>or</c>/<c>not</c>, <c>in</c>/<c>not in</c>,
/// <c>x if c else y</c>, list and dict literals and JSONPaths in backticks. It evaluates nothing; it reports the first
/// syntax error with its character position, and the names of functions called, so unknown ones can be warned about.
/// </summary>
internal sealed class ExpressionSyntax
{
    /// <summary>The functions of the reference (documented and found in Globus' own flows) and Python's usual built-ins.</summary>
    public static readonly HashSet<string> KnownFunctions = new(StringComparer.Ordinal)
    {
        "pathsplit", "is_present", "getattr", "len", "str", "int", "float", "bool", "abs", "round", "min", "max", "sum", "sorted",
    };

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "not", "in", "is", "if", "else", "True", "False", "None", "true", "false", "null",
    };

    private readonly List<Token> tokens;
    private int pos;

    private ExpressionSyntax(List<Token> tokens)
    {
        this.tokens = tokens;
    }

    public List<string> CalledFunctions { get; } = new();

    /// <summary>Checks <paramref name="expression"/>; false with a message naming the first error and its 1-based character.</summary>
    public static bool TryCheck(string expression, out string? error, out IReadOnlyList<string> calledFunctions)
    {
        calledFunctions = Array.Empty<string>();
        if (expression.Trim().Length == 0)
        {
            error = "the expression is empty";
            return false;
        }

        try
        {
            var parser = new ExpressionSyntax(Tokenize(expression));
            parser.Test();
            if (parser.Peek.Kind != Kind.End)
            {
                throw Error(parser.Peek, "unexpected " + parser.Peek.Describe() + " after a complete expression");
            }

            calledFunctions = parser.CalledFunctions;
            error = null;
            return true;
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    private enum Kind
    {
        Name,
        Number,
        String,
        Path,
        Op,
        End,
    }

    private Token Peek => tokens[pos];

    private static FormatException Error(Token at, string message) =>
        new(message + " at character " + (at.Position + 1).ToString(CultureInfo.InvariantCulture));

    private static List<Token> Tokenize(string text)
    {
        var list = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                list.Add(new Token(Kind.Name, text.Substring(start, i - start), start));
            }
            else if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.' || text[i] == '_'))
                {
                    i++;
                }

                if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
                {
                    i++;
                    if (i < text.Length && (text[i] == '+' || text[i] == '-'))
                    {
                        i++;
                    }

                    while (i < text.Length && char.IsDigit(text[i]))
                    {
                        i++;
                    }
                }

                var number = text.Substring(start, i - start);
                if (number.Count(ch => ch == '.') > 1)
                {
                    throw new FormatException("'" + number + "' is not a number at character " + (start + 1).ToString(CultureInfo.InvariantCulture));
                }

                list.Add(new Token(Kind.Number, number, start));
            }
            else if (c == '\'' || c == '"' || c == '`')
            {
                i++;
                while (i < text.Length && text[i] != c)
                {
                    i += text[i] == '\\' && c != '`' ? 2 : 1;
                }

                if (i >= text.Length)
                {
                    throw new FormatException((c == '`' ? "the JSONPath opened with ` " : "the string opened with " + c + " ") +
                        "at character " + (start + 1).ToString(CultureInfo.InvariantCulture) + " is never closed");
                }

                var body = text.Substring(start + 1, i - start - 1);
                i++;
                if (c == '`' && !JsonPathText.TryCheck(body, out var pathError))
                {
                    throw new FormatException("the JSONPath in backticks at character " + (start + 1).ToString(CultureInfo.InvariantCulture) + " is invalid: " + pathError);
                }

                list.Add(new Token(c == '`' ? Kind.Path : Kind.String, body, start));
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
                if (two is "==" or "!=" or "<=" or ">=" or "//" or "**")
                {
                    list.Add(new Token(Kind.Op, two, start));
                    i += 2;
                }
                else if ("+-*/%<>()[]{},:.".IndexOf(c) >= 0)
                {
                    list.Add(new Token(Kind.Op, c.ToString(), start));
                    i++;
                }
                else if (c == '=')
                {
                    list.Add(new Token(Kind.Op, "=", start));
                    i++;
                }
                else
                {
                    throw new FormatException("'" + c + "' is not part of the expression language at character " + (start + 1).ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        list.Add(new Token(Kind.End, string.Empty, text.Length));
        return list;
    }

    private bool IsOp(string op) => Peek.Kind == Kind.Op && Peek.Text == op;

    private bool IsWord(string word) => Peek.Kind == Kind.Name && Peek.Text == word;

    private Token Next() => tokens[pos++];

    private void Expect(string op)
    {
        if (!IsOp(op))
        {
            throw Error(Peek, "expected '" + op + "' but found " + Peek.Describe());
        }

        pos++;
    }

    private void Test()
    {
        OrTest();
        if (IsWord("if"))
        {
            pos++;
            OrTest();
            if (!IsWord("else"))
            {
                throw Error(Peek, "'x if condition' needs 'else y'; found " + Peek.Describe());
            }

            pos++;
            Test();
        }
    }

    private void OrTest()
    {
        AndTest();
        while (IsWord("or"))
        {
            pos++;
            AndTest();
        }
    }

    private void AndTest()
    {
        NotTest();
        while (IsWord("and"))
        {
            pos++;
            NotTest();
        }
    }

    private void NotTest()
    {
        if (IsWord("not"))
        {
            pos++;
            NotTest();
            return;
        }

        Comparison();
    }

    private void Comparison()
    {
        Arith();
        while (true)
        {
            if (IsOp("==") || IsOp("!=") || IsOp("<") || IsOp(">") || IsOp("<=") || IsOp(">=") || IsWord("in"))
            {
                pos++;
            }
            else if (IsWord("not") && tokens[pos + 1].Kind == Kind.Name && tokens[pos + 1].Text == "in")
            {
                pos += 2;
            }
            else if (IsWord("is"))
            {
                pos++;
                if (IsWord("not"))
                {
                    pos++;
                }
            }
            else if (IsOp("="))
            {
                throw Error(Peek, "'=' is not a comparison; use '=='");
            }
            else
            {
                return;
            }

            Arith();
        }
    }

    private void Arith()
    {
        Term();
        while (IsOp("+") || IsOp("-"))
        {
            pos++;
            Term();
        }
    }

    private void Term()
    {
        Factor();
        while (IsOp("*") || IsOp("/") || IsOp("//") || IsOp("%"))
        {
            pos++;
            Factor();
        }
    }

    private void Factor()
    {
        if (IsOp("-") || IsOp("+"))
        {
            pos++;
            Factor();
            return;
        }

        Postfix();
        if (IsOp("**"))
        {
            pos++;
            Factor();
        }
    }

    private void Postfix()
    {
        var atom = Peek;
        Atom();
        var callee = atom.Kind == Kind.Name && !Keywords.Contains(atom.Text) ? atom.Text : null;
        var first = true;
        while (true)
        {
            if (IsOp("("))
            {
                if (first && callee != null)
                {
                    CalledFunctions.Add(callee);
                }

                pos++;
                Arguments();
                Expect(")");
            }
            else if (IsOp("["))
            {
                pos++;
                Subscript();
                Expect("]");
            }
            else if (IsOp("."))
            {
                pos++;
                if (Peek.Kind != Kind.Name)
                {
                    throw Error(Peek, "expected a name after '.' but found " + Peek.Describe());
                }

                pos++;
            }
            else
            {
                return;
            }

            first = false;
        }
    }

    private void Arguments()
    {
        while (!IsOp(")"))
        {
            if (Peek.Kind == Kind.Name && tokens[pos + 1].Kind == Kind.Op && tokens[pos + 1].Text == "=")
            {
                pos += 2; // keyword argument
            }

            Test();
            if (!IsOp(","))
            {
                return;
            }

            pos++;
        }
    }

    private void Subscript()
    {
        if (!IsOp(":"))
        {
            Test();
        }

        for (var n = 0; n < 2 && IsOp(":"); n++)
        {
            pos++;
            if (!IsOp(":") && !IsOp("]"))
            {
                Test();
            }
        }
    }

    private void Atom()
    {
        var t = Peek;
        switch (t.Kind)
        {
            case Kind.Number:
            case Kind.Path:
                pos++;
                return;
            case Kind.String:
                while (Peek.Kind == Kind.String)
                {
                    pos++;
                }

                return;
            case Kind.Name:
                if (Keywords.Contains(t.Text) && t.Text is not ("True" or "False" or "None" or "true" or "false" or "null"))
                {
                    throw Error(t, "'" + t.Text + "' cannot start a value");
                }

                pos++;
                return;
            case Kind.End:
                throw Error(t, "the expression ends where a value belongs");
        }

        if (IsOp("("))
        {
            pos++;
            Sequence(")");
            Expect(")");
        }
        else if (IsOp("["))
        {
            pos++;
            Sequence("]");
            Expect("]");
        }
        else if (IsOp("{"))
        {
            pos++;
            while (!IsOp("}"))
            {
                Test();
                Expect(":");
                Test();
                if (!IsOp(","))
                {
                    break;
                }

                pos++;
            }

            Expect("}");
        }
        else
        {
            throw Error(t, "unexpected " + t.Describe() + " where a value belongs");
        }
    }

    private void Sequence(string close)
    {
        while (!IsOp(close))
        {
            Test();
            if (!IsOp(","))
            {
                return;
            }

            pos++;
        }
    }

    private readonly struct Token
    {
        public Token(Kind kind, string text, int position)
        {
            Kind = kind;
            Text = text;
            Position = position;
        }

        public Kind Kind { get; }

        public string Text { get; }

        public int Position { get; }

        public string Describe() => Kind switch
        {
            Kind.End => "the end of the expression",
            Kind.String => "a string",
            Kind.Path => "a JSONPath",
            _ => "'" + Text + "'",
        };
    }
}
