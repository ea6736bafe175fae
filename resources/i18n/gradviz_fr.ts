<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>AppSettings</name>
    <message>
        <source>The settings file could not be read; gradviz started with the default settings.</source>
        <translation>Le fichier de réglages n&apos;a pas pu être lu&#x202f;; gradviz a démarré avec les réglages par défaut.</translation>
    </message>
</context>
<context>
    <name>BuildController</name>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Hide saved tensors</source>
        <translation>Masquer les tenseurs sauvegardés</translation>
    </message>
    <message>
        <source>Saved tensors make big graphs much slower to lay out; hide them to build faster</source>
        <translation>Les tenseurs sauvegardés ralentissent beaucoup la mise en page des grands graphes&#x202f;; masquez-les pour construire plus vite</translation>
    </message>
    <message>
        <source>Building the graph…</source>
        <translation>Construction du graphe…</translation>
    </message>
    <message>
        <source>The first build also starts PyTorch (a few seconds).</source>
        <translation>La première construction démarre aussi PyTorch (quelques secondes).</translation>
    </message>
    <message>
        <source>Starting PyTorch…</source>
        <translation>Démarrage de PyTorch…</translation>
    </message>
    <message>
        <source>Running the function and backward…</source>
        <translation>Calcul de la fonction et de la passe arrière…</translation>
    </message>
    <message>
        <source>Laying out the graph…</source>
        <translation>Mise en page du graphe…</translation>
    </message>
    <message>
        <source>Still building: big graphs take a while to lay out. Cancel stops it.</source>
        <translation>Construction en cours&#xa0;: la mise en page d&apos;un grand graphe prend du temps. Annuler l&apos;arrête.</translation>
    </message>
    <message>
        <source>Still building: big graphs take a while to lay out, and saved tensors add many nodes. Hide them to build much faster, or Cancel.</source>
        <translation>Construction en cours&#xa0;: la mise en page d&apos;un grand graphe prend du temps, et les tenseurs sauvegardés ajoutent beaucoup de nœuds. Masquez-les pour construire bien plus vite, ou cliquez sur Annuler.</translation>
    </message>
    <message>
        <source>Build cancelled</source>
        <translation>Construction annulée</translation>
    </message>
    <message>
        <source>Build failed</source>
        <translation>Échec de la construction</translation>
    </message>
    <message>
        <source>layout: {0}</source>
        <translation>mise en page&#xa0;: {0}</translation>
    </message>
    <message>
        <source>{0} nodes, {1} steps</source>
        <translation>{0} nœuds, {1} pas</translation>
    </message>
    <message>
        <source>built in {0} s</source>
        <translation>construit en {0}&#xa0;s</translation>
    </message>
    <message>
        <source>Saved tensors hidden: the graph has over {0} backward nodes. View → Show saved tensors shows them.</source>
        <translation>Tenseurs sauvegardés masqués&#xa0;: le graphe a plus de {0} nœuds de rétropropagation. Affichage → Afficher les tenseurs sauvegardés les montre.</translation>
    </message>
    <message>
        <source>A big graph ({0} nodes, saved tensors included): hide saved tensors for a lighter, faster graph.</source>
        <translation>Un grand graphe ({0} nœuds, tenseurs sauvegardés compris)&#xa0;: masquez les tenseurs sauvegardés pour un graphe plus léger et plus rapide.</translation>
    </message>
    <message>
        <source>Layout engine {0} not installed: laid out with {1}. To get it: {2}</source>
        <translation>Moteur {0} absent&#xa0;: mise en page par {1}. Pour l’installer&#xa0;: {2}</translation>
    </message>
    <message>
        <source>Layout engine {0} failed: laid out with {1}.</source>
        <translation>Le moteur {0} a échoué&#xa0;: mise en page par {1}.</translation>
    </message>
    <message>
        <source>This function is Python code</source>
        <translation>Cette fonction est du code Python</translation>
    </message>
    <message>
        <source>gradviz does not run a lesson&apos;s code when it opens. Read it on the left, then choose “Run code from this lesson…” to build its graph.</source>
        <translation>gradviz n&apos;exécute pas le code d&apos;une leçon à son ouverture. Lisez-le à gauche, puis choisissez «&#xa0;Exécuter le code de cette leçon…&#xa0;» pour construire son graphe.</translation>
    </message>
</context>
<context>
    <name>BuildRunner</name>
    <message>
        <source> (in “{0}”)</source>
        <translation> (dans «&#xa0;{0}&#xa0;»)</translation>
    </message>
    <message>
        <source>Internal error: {0}</source>
        <translation>Erreur interne&#xa0;: {0}</translation>
    </message>
</context>
<context>
    <name>CanvasLegend</name>
    <message>
        <source>running now</source>
        <translation>en cours</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fait</translation>
    </message>
    <message>
        <source>leaf: a tensor you gave</source>
        <translation>feuille&#xa0;: un tenseur que vous avez donné</translation>
    </message>
    <message>
        <source>function (grad_fn)</source>
        <translation>fonction (grad_fn)</translation>
    </message>
    <message>
        <source>tensor saved for backward</source>
        <translation>tenseur sauvegardé pour la rétropropagation</translation>
    </message>
    <message>
        <source>grad g: the gradient of the output with respect to the node</source>
        <translation>grad g&#xa0;: le gradient de la sortie par rapport au nœud</translation>
    </message>
    <message>
        <source>numbers on edges: the gradient sent along them</source>
        <translation>nombres sur les arêtes&#xa0;: le gradient qui y circule</translation>
    </message>
    <message>
        <source>gradients flow against the arrows ⟵</source>
        <translation>les gradients remontent les flèches ⟵</translation>
    </message>
</context>
<context>
    <name>CodeConfirmDialog</name>
    <message>
        <source>Run code from this lesson?</source>
        <translation>Exécuter le code de cette leçon&#x202f;?</translation>
    </message>
    <message>
        <source>“{0}” is Python code from a lesson file. It runs in a separate process, but it can read and change your files like any program. Run it only if you trust where the lesson comes from and you have read the code below.</source>
        <translation>«&#xa0;{0}&#xa0;» est du code Python venu d&apos;un fichier de leçon. Il s&apos;exécute dans un processus séparé, mais il peut lire et modifier vos fichiers comme n&apos;importe quel programme. Ne l&apos;exécutez que si vous faites confiance à la provenance de la leçon et que vous avez lu le code ci-dessous.</translation>
    </message>
    <message>
        <source>Warning: this code contains {0} invisible or direction-changing characters (shown as «U+…»). They can make code look different from what runs.</source>
        <translation>Attention&#xa0;: ce code contient {0}&#x202f;caractères invisibles ou qui changent le sens d&apos;écriture (affichés «U+…»). Ils peuvent faire paraître le code différent de ce qui s&apos;exécute.</translation>
    </message>
    <message>
        <source>Run this code</source>
        <translation>Exécuter ce code</translation>
    </message>
    <message>
        <source>gradviz will remember this choice for exactly this code; changed code asks again.</source>
        <translation>gradviz retiendra ce choix pour ce code précis&#x202f;; si le code change, la question sera reposée.</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>gradviz: something went wrong</source>
        <translation>gradviz&#xa0;: un problème est survenu</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Copier les détails</translation>
    </message>
    <message>
        <source>The app keeps running. If this looks like a bug in gradviz, please report it with the details.</source>
        <translation>L&apos;application continue de fonctionner. Si cela ressemble à un bogue de gradviz, merci de le signaler en joignant les détails.</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Unexpected error: {0}: {1}</source>
        <translation>Erreur inattendue&#xa0;: {0}&#xa0;: {1}</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>The input must be text.</source>
        <translation>L&apos;entrée doit être du texte.</translation>
    </message>
    <message>
        <source>The text is {length} characters long; at most {limit} are allowed.</source>
        <translation>Le texte fait {length} caractères&#x202f;; {limit} au plus sont permis.</translation>
    </message>
    <message>
        <source>The text is empty: type an expression, like 3*x**2.</source>
        <translation>Le texte est vide&#xa0;: tapez une expression, comme 3*x**2.</translation>
    </message>
    <message>
        <source>The character {char} is not allowed: write names, numbers and operators in plain ASCII (no accents, no invisible characters).</source>
        <translation>Le caractère {char} n&apos;est pas permis&#xa0;: écrivez les noms, les nombres et les opérateurs en ASCII simple (sans accents ni caractères invisibles).</translation>
    </message>
    <message>
        <source>The expression is nested too deeply (at most {limit} levels).</source>
        <translation>L&apos;expression est trop imbriquée ({limit} niveaux au plus).</translation>
    </message>
    <message>
        <source>The text is too complex to read.</source>
        <translation>Le texte est trop complexe pour être lu.</translation>
    </message>
    <message>
        <source>The expression has more than {limit} parts: make it shorter.</source>
        <translation>L&apos;expression compte plus de {limit} éléments&#xa0;: raccourcissez-la.</translation>
    </message>
    <message>
        <source>A number is too long (at most {limit} digits).</source>
        <translation>Un nombre est trop long ({limit} chiffres au plus).</translation>
    </message>
    <message>
        <source>Syntax error (Python says: {detail}).</source>
        <translation>Erreur de syntaxe (message de Python&#xa0;: {detail}).</translation>
    </message>
    <message>
        <source>Write a variable as name=value, like x=2.0.</source>
        <translation>Écrivez une variable sous la forme nom=valeur, comme x=2.0.</translation>
    </message>
    <message>
        <source>Write one expression: {construct} is a statement.</source>
        <translation>Écrivez une seule expression&#xa0;: {construct} est une instruction.</translation>
    </message>
    <message>
        <source>Assignment (=) is not allowed: give values in the variables table.</source>
        <translation>L&apos;affectation (=) n&apos;est pas permise&#xa0;: donnez les valeurs dans le tableau des variables.</translation>
    </message>
    <message>
        <source>The operator ^ is not allowed: for a power, write x**2.</source>
        <translation>L&apos;opérateur ^ n&apos;est pas permis&#xa0;: pour une puissance, écrivez x**2.</translation>
    </message>
    <message>
        <source>{construct} is not allowed in an expression. Allowed: numbers, variables, pi, e, + - * / ** @, comparisons like x &gt; 0, parentheses, and calls like sin(x).</source>
        <translation>{construct} n&apos;est pas permis dans une expression. Sont permis&#xa0;: les nombres, les variables, pi, e, + - * / ** @, les comparaisons comme x &gt; 0, les parenthèses et les appels comme sin(x).</translation>
    </message>
    <message>
        <source>{construct}: attribute access is not allowed (only function names take the prefix torch. or F.).</source>
        <translation>{construct}&#xa0;: l&apos;accès aux attributs n&apos;est pas permis (seuls les noms de fonctions prennent le préfixe torch. ou F.).</translation>
    </message>
    <message>
        <source>{construct}: chained comparisons are not allowed: write one comparison, like x &gt; 0.</source>
        <translation>{construct}&#xa0;: les comparaisons enchaînées ne sont pas permises&#xa0;: écrivez une seule comparaison, comme x &gt; 0.</translation>
    </message>
    <message>
        <source>{construct}: lists and tuples are not allowed in an expression: vectors and matrices come from variables, like x = [1, 2, 3].</source>
        <translation>{construct}&#xa0;: les listes et les tuples ne sont pas permis dans une expression&#xa0;: vecteurs et matrices viennent des variables, comme x = [1, 2, 3].</translation>
    </message>
    <message>
        <source>{construct} is only allowed as a keyword value, like keepdim=True.</source>
        <translation>{construct} n&apos;est permis que comme valeur d&apos;un mot-clé, comme keepdim=True.</translation>
    </message>
    <message>
        <source>{name} is only allowed as a prefix of a function, like torch.sin(x).</source>
        <translation>{name} n&apos;est permis que comme préfixe d&apos;une fonction, comme torch.sin(x).</translation>
    </message>
    <message>
        <source>{construct} is not a value: write a number like 2.0, a list like [1, 2, 3] or a constructor like randn(3).</source>
        <translation>{construct} n&apos;est pas une valeur&#xa0;: écrivez un nombre comme 2.0, une liste comme [1, 2, 3] ou un constructeur comme randn(3).</translation>
    </message>
    <message>
        <source>{name} is a function: call it, like {call}(x).</source>
        <translation>{name} est une fonction&#xa0;: appelez-la, comme {call}(x).</translation>
    </message>
    <message>
        <source>{name} cannot be used as a variable here: it is a reserved name.</source>
        <translation>{name} ne peut pas servir de variable ici&#xa0;: c&apos;est un nom réservé.</translation>
    </message>
    <message>
        <source>{name} is not a known function.</source>
        <translation>{name} n&apos;est pas une fonction connue.</translation>
    </message>
    <message>
        <source>{name} is not a known function. Did you mean {suggestions}?</source>
        <translation>{name} n&apos;est pas une fonction connue. Vouliez-vous dire {suggestions}&#x202f;?</translation>
    </message>
    <message>
        <source>{name} is not a known constructor (known: {known}).</source>
        <translation>{name} n&apos;est pas un constructeur connu (connus&#xa0;: {known}).</translation>
    </message>
    <message>
        <source>{name} is not a known constructor. Did you mean {suggestions}?</source>
        <translation>{name} n&apos;est pas un constructeur connu. Vouliez-vous dire {suggestions}&#x202f;?</translation>
    </message>
    <message>
        <source>Wrong arguments for {function}; it is called as {signature}.</source>
        <translation>Arguments incorrects pour {function}&#x202f;; elle s&apos;appelle ainsi&#xa0;: {signature}.</translation>
    </message>
    <message>
        <source>{keyword}= is given twice.</source>
        <translation>{keyword}= est donné deux fois.</translation>
    </message>
    <message>
        <source>out= is not allowed: each call makes a new tensor.</source>
        <translation>out= n&apos;est pas permis&#xa0;: chaque appel crée un nouveau tenseur.</translation>
    </message>
    <message>
        <source>{keyword}= is not a keyword of {function}; it is called as {signature}.</source>
        <translation>{keyword}= n&apos;est pas un mot-clé de {function}&#x202f;; elle s&apos;appelle ainsi&#xa0;: {signature}.</translation>
    </message>
    <message>
        <source>{keyword}= must be an integer like 0 or -1, written as it is.</source>
        <translation>{keyword}= doit valoir un entier comme 0 ou -1, écrit tel quel.</translation>
    </message>
    <message>
        <source>{keyword}= must be True or False, written as it is.</source>
        <translation>{keyword}= doit valoir True ou False, écrit tel quel.</translation>
    </message>
    <message>
        <source>{keyword}= must be a number like 0.5, written as it is.</source>
        <translation>{keyword}= doit valoir un nombre comme 0.5, écrit tel quel.</translation>
    </message>
    <message>
        <source>The tensor would have {elements} elements; at most {limit} are allowed.</source>
        <translation>Le tenseur aurait {elements} éléments&#x202f;; {limit} au plus sont permis.</translation>
    </message>
    <message>
        <source>{function}: the expression makes more than {limit} tensor elements in all.</source>
        <translation>{function}&#xa0;: l&apos;expression crée plus de {limit} éléments de tenseurs en tout.</translation>
    </message>
    <message>
        <source>The number {number} is too large here.</source>
        <translation>Le nombre {number} est trop grand ici.</translation>
    </message>
    <message>
        <source>This number is too large for a size.</source>
        <translation>Ce nombre est trop grand pour une taille.</translation>
    </message>
    <message>
        <source>This range has too many elements.</source>
        <translation>Cet intervalle a trop d&apos;éléments.</translation>
    </message>
    <message>
        <source>{function}: dim= and keepdim= need a single tensor argument.</source>
        <translation>{function}&#xa0;: dim= et keepdim= demandent un seul tenseur en argument.</translation>
    </message>
    <message>
        <source>{function}: keepdim= needs dim=.</source>
        <translation>{function}&#xa0;: keepdim= demande dim=.</translation>
    </message>
    <message>
        <source>{function}: the condition must be a comparison like x &gt; 0, not a {dtype} tensor.</source>
        <translation>{function}&#xa0;: la condition doit être une comparaison comme x &gt; 0, pas un tenseur {dtype}.</translation>
    </message>
    <message>
        <source>{function}: the target holds class indices, which must be integers: give it as a variable like y=long([2, 0]) (a float target must be class probabilities, shaped like the input {shape}).</source>
        <translation>{function}&#xa0;: la cible contient des indices de classes, qui doivent être entiers&#xa0;: donnez-la comme une variable, par ex. y=long([2, 0]) (une cible décimale doit contenir des probabilités de classes, de la forme de l&apos;entrée {shape}).</translation>
    </message>
    <message>
        <source>{function}: the target holds probabilities (floats between 0 and 1), not integers.</source>
        <translation>{function}&#xa0;: la cible contient des probabilités (des décimaux entre 0 et 1), pas des entiers.</translation>
    </message>
    <message>
        <source>PyTorch refused {function}: {torch_message}</source>
        <translation>PyTorch refuse {function}&#xa0;: {torch_message}</translation>
    </message>
    <message>
        <source>PyTorch cannot make this value: {torch_message}</source>
        <translation>PyTorch ne peut pas créer cette valeur&#xa0;: {torch_message}</translation>
    </message>
    <message>
        <source>No value for {names}: give each one a value.</source>
        <translation>Il manque une valeur pour {names}&#xa0;: donnez-en une à chacune.</translation>
    </message>
    <message>
        <source>The variable {name} is given twice.</source>
        <translation>La variable {name} est donnée deux fois.</translation>
    </message>
    <message>
        <source>{name} is not a valid variable name: use letters, digits and _, like x or w_1, and not the name of a function or a Python keyword.</source>
        <translation>{name} n&apos;est pas un nom de variable valable&#xa0;: utilisez des lettres, des chiffres et _, comme x ou w_1, mais ni un nom de fonction ni un mot-clé de Python.</translation>
    </message>
    <message>
        <source>The dtype must be float32 or float64, not {dtype}.</source>
        <translation>Le dtype doit être float32 ou float64, pas {dtype}.</translation>
    </message>
    <message>
        <source>The list is ragged: every row must have the same length.</source>
        <translation>La liste est irrégulière&#xa0;: toutes les lignes doivent avoir la même longueur.</translation>
    </message>
    <message>
        <source>List elements must be numbers like 1, -2.5 or 1e-3.</source>
        <translation>Les éléments d&apos;une liste doivent être des nombres comme 1, -2.5 ou 1e-3.</translation>
    </message>
    <message>
        <source>PyTorch&apos;s backward pass failed while running {op}: {torch_message}</source>
        <translation>La rétropropagation de PyTorch a échoué pendant {op}&#xa0;: {torch_message}</translation>
    </message>
    <message>
        <source>PyTorch&apos;s backward pass failed while running {op}: {torch_message}
The node was created at {path}, line {line}: {code}</source>
        <translation>La rétropropagation de PyTorch a échoué pendant {op}&#xa0;: {torch_message}
Le nœud a été créé dans {path}, ligne {line}&#xa0;: {code}</translation>
    </message>
    <message>
        <source>The function depends on no variable that requires a gradient, so there is nothing to differentiate. Use a variable (e.g. x) in it.</source>
        <translation>La fonction ne dépend d&apos;aucune variable qui demande un gradient&#xa0;: il n&apos;y a donc rien à dériver. Utilisez-y une variable (par ex. x).</translation>
    </message>
    <message>
        <source>The output has shape {shape}, but backward() starts from a single number. Reduce it first (sum or mean), or wrap the function in sum(...).</source>
        <translation>La sortie a la forme {shape}, mais backward() part d&apos;un seul nombre. Réduisez-la d&apos;abord (somme ou moyenne), ou placez la fonction dans sum(...).</translation>
    </message>
    <message>
        <source>Unknown reduction {reduction}: use sum or mean.</source>
        <translation>Réduction inconnue {reduction}&#xa0;: utilisez sum ou mean.</translation>
    </message>
    <message>
        <source>runs (the number of backward calls) must be a whole number from 1 to {limit}.</source>
        <translation>runs (le nombre d&apos;appels à backward) doit être un entier de 1 à {limit}.</translation>
    </message>
    <message>
        <source>There is no output to show: give at least one tensor.</source>
        <translation>Il n&apos;y a aucune sortie à montrer&#xa0;: donnez au moins un tenseur.</translation>
    </message>
    <message>
        <source>The output must be a tensor (or a list of tensors), not {type}.</source>
        <translation>La sortie doit être un tenseur (ou une liste de tenseurs), pas {type}.</translation>
    </message>
    <message>
        <source>Nested tensors are not supported: give a plain tensor.</source>
        <translation>Les tenseurs imbriqués (nested) ne sont pas pris en charge&#xa0;: donnez un tenseur ordinaire.</translation>
    </message>
    <message>
        <source>The output is complex ({dtype}): backward() starts from a real number; take .real, .abs() or a real loss of it.</source>
        <translation>La sortie est complexe ({dtype})&#xa0;: backward() part d&apos;un nombre réel&#x202f;; prenez .real, .abs() ou une perte réelle calculée à partir d&apos;elle.</translation>
    </message>
    <message>
        <source>params must map names to tensors, not {type}.</source>
        <translation>params doit associer des noms à des tenseurs, pas {type}.</translation>
    </message>
    <message>
        <source>Cannot use the device {device} here: {torch_message}</source>
        <translation>Impossible d&apos;utiliser le périphérique {device} ici&#xa0;: {torch_message}</translation>
    </message>
    <message>
        <source>Say which variable to differentiate by (one of {names}).</source>
        <translation>Dites par rapport à quelle variable dériver (l&apos;une de {names}).</translation>
    </message>
    <message>
        <source>d/d{variable_name} of this function is a constant: it has no graph.</source>
        <translation>d/d{variable_name} de cette fonction est une constante&#xa0;: elle n&apos;a pas de graphe.</translation>
    </message>
    <message>
        <source>No such script: {path}</source>
        <translation>Script introuvable&#xa0;: {path}</translation>
    </message>
    <message>
        <source>Cannot read {path}: {reason}</source>
        <translation>Impossible de lire {path}&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>Cannot read {path}: it is not UTF-8 text.</source>
        <translation>Impossible de lire {path}&#xa0;: ce n&apos;est pas du texte UTF-8.</translation>
    </message>
    <message>
        <source>Syntax error in {path}, line {line}, column {column}: {msg}</source>
        <translation>Erreur de syntaxe dans {path}, ligne {line}, colonne {column}&#xa0;: {msg}</translation>
    </message>
    <message>
        <source>The script {path} defines no output: end it with output = &lt;tensor&gt;, or define build() that returns the output.</source>
        <translation>Le script {path} ne définit aucune sortie&#xa0;: terminez-le par output = &lt;tenseur&gt;, ou définissez une fonction build() qui renvoie la sortie.</translation>
    </message>
    <message>
        <source>The script&apos;s output is empty.</source>
        <translation>La sortie du script est vide.</translation>
    </message>
    <message>
        <source>The script&apos;s output must be a tensor (or a tuple or list of tensors), not {type}.</source>
        <translation>La sortie du script doit être un tenseur (ou un tuple ou une liste de tenseurs), pas {type}.</translation>
    </message>
    <message>
        <source>The script&apos;s output does not require a gradient: build it from a tensor created with requires_grad=True (or from a model&apos;s parameters), outside torch.no_grad().</source>
        <translation>La sortie du script ne demande pas de gradient&#xa0;: construisez-la à partir d&apos;un tenseur créé avec requires_grad=True (ou des paramètres d&apos;un modèle), hors de torch.no_grad().</translation>
    </message>
    <message>
        <source>The script&apos;s params must be a dict of name → tensor, or an nn.Module, not {type}.</source>
        <translation>Les params du script doivent être un dict nom → tenseur, ou un nn.Module, pas {type}.</translation>
    </message>
    <message>
        <source>No such lesson file: {path}</source>
        <translation>Fichier de leçon introuvable&#xa0;: {path}</translation>
    </message>
    <message>
        <source>Cannot read the lesson {path}: {reason}</source>
        <translation>Impossible de lire la leçon {path}&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>{path} is not a lesson file.</source>
        <translation>{path} n&apos;est pas un fichier de leçon.</translation>
    </message>
    <message>
        <source>The lesson {path} is not UTF-8 text (line {line}): save it as UTF-8.</source>
        <translation>La leçon {path} n&apos;est pas du texte UTF-8 (ligne {line})&#xa0;: enregistrez-la en UTF-8.</translation>
    </message>
    <message>
        <source>The lesson {path} is too large: a lesson is at most {limit_mb} MB.</source>
        <translation>La leçon {path} est trop volumineuse&#xa0;: une leçon fait au plus {limit_mb}&#xa0;Mo.</translation>
    </message>
    <message>
        <source>The lesson {path} looks cut off (an interrupted save or copy?).</source>
        <translation>La leçon {path} semble tronquée (un enregistrement ou une copie interrompus&#x202f;?).</translation>
    </message>
    <message>
        <source>The lesson {path} is not valid JSON (line {line}, column {col}: {msg}).</source>
        <translation>La leçon {path} n&apos;est pas du JSON valide (ligne {line}, colonne {col}&#xa0;: {msg}).</translation>
    </message>
    <message>
        <source>The lesson {path} is not valid JSON.</source>
        <translation>La leçon {path} n&apos;est pas du JSON valide.</translation>
    </message>
    <message>
        <source>{path} is not a gradviz lesson.</source>
        <translation>{path} n&apos;est pas une leçon gradviz.</translation>
    </message>
    <message>
        <source>{path} is not a lesson this version of gradviz can read (format {found}; this gradviz reads {expected}). A newer gradviz may open it.</source>
        <translation>{path} n&apos;est pas une leçon que cette version de gradviz sait lire (format {found}&#x202f;; cette version lit {expected}). Une version plus récente de gradviz saura peut-être l&apos;ouvrir.</translation>
    </message>
    <message>
        <source>The lesson {path} is invalid: the field {field} has a wrong value.</source>
        <translation>La leçon {path} n&apos;est pas valable&#xa0;: le champ {field} a une valeur incorrecte.</translation>
    </message>
    <message>
        <source>{title} in this lesson is Python code: gradviz runs a lesson&apos;s code only once you trust it. Read it first.</source>
        <translation>{title} est du code Python dans cette leçon&#xa0;: gradviz n&apos;exécute le code d&apos;une leçon qu&apos;une fois que vous lui faites confiance. Lisez-le d&apos;abord.</translation>
    </message>
    <message>
        <source>Unknown layout engine {engine}: choose one of {engines}.</source>
        <translation>Moteur de mise en page inconnu {engine}&#xa0;: choisissez parmi {engines}.</translation>
    </message>
    <message>
        <source>not found (to get it: {install})</source>
        <translation>introuvable (pour l&apos;obtenir&#xa0;: {install})</translation>
    </message>
    <message>
        <source>timed out after {timeout} s (try hiding saved tensors)</source>
        <translation>délai dépassé après {timeout}&#xa0;s (essayez de masquer les tenseurs sauvegardés)</translation>
    </message>
    <message>
        <source>exit code {exitcode}: {detail}</source>
        <translation>code de sortie {exitcode}&#xa0;: {detail}</translation>
    </message>
    <message>
        <source>The graph layout (Graphviz) failed. {failures}</source>
        <translation>La mise en page du graphe (Graphviz) a échoué. {failures}</translation>
    </message>
    <message>
        <source>The evaluation took longer than {timeout} s and was stopped.</source>
        <translation>Le calcul a duré plus de {timeout}&#xa0;s et a été arrêté.</translation>
    </message>
    <message>
        <source>The worker process did not start within {timeout} s.</source>
        <translation>Le processus de calcul n&apos;a pas démarré en {timeout}&#xa0;s.</translation>
    </message>
    <message>
        <source>The evaluation needed too much memory and was stopped.</source>
        <translation>Le calcul demandait trop de mémoire et a été arrêté.</translation>
    </message>
    <message>
        <source>The evaluation process crashed; it was restarted.</source>
        <translation>Le processus de calcul s&apos;est arrêté brutalement&#x202f;; il a été relancé.</translation>
    </message>
    <message>
        <source>The evaluation process could not start.</source>
        <translation>Le processus de calcul n&apos;a pas pu démarrer.</translation>
    </message>
    <message>
        <source>The function&apos;s process sent something invalid; it was stopped and restarted.</source>
        <translation>Le processus de la fonction a envoyé quelque chose d&apos;invalide&#x202f;; il a été arrêté puis relancé.</translation>
    </message>
    <message>
        <source>The script raised an error: {message}</source>
        <translation>Le script a levé une exception&#xa0;: {message}</translation>
    </message>
    <message>
        <source>Internal error in the evaluation process: {message}</source>
        <translation>Erreur interne dans le processus de calcul&#xa0;: {message}</translation>
    </message>
    <message>
        <source>Step {step} does not exist: this function has steps 0 to {total}.</source>
        <translation>Le pas {step} n&apos;existe pas&#xa0;: cette fonction a les pas 0 à {total}.</translation>
    </message>
    <message>
        <source>The step must be a step number or last, not {step}.</source>
        <translation>Le pas doit être un numéro de pas ou last, pas {step}.</translation>
    </message>
    <message>
        <source>Cannot write a {suffix} file: use {suffixes}.</source>
        <translation>Impossible d&apos;écrire un fichier {suffix}&#xa0;: utilisez {suffixes}.</translation>
    </message>
    <message>
        <source>There is no variable {name} to show paths to (variables: {names}).</source>
        <translation>Il n&apos;y a pas de variable {name} vers laquelle montrer les chemins (variables&#xa0;: {names}).</translation>
    </message>
    <message>
        <source>The export&apos;s {option} must be between {low} and {high}.</source>
        <translation>L&apos;option {option} de l&apos;export doit être comprise entre {low} et {high}.</translation>
    </message>
</context>
<context>
    <name>ExplanationBar</name>
    <message>
        <source>Less ▴</source>
        <translation>Moins ▴</translation>
    </message>
    <message>
        <source>More ▾</source>
        <translation>Plus ▾</translation>
    </message>
    <message>
        <source>No function built yet</source>
        <translation>Aucune fonction construite pour l&apos;instant</translation>
    </message>
    <message>
        <source>Type a function on the left and press Enter.</source>
        <translation>Tapez une fonction à gauche et appuyez sur Entrée.</translation>
    </message>
    <message>
        <source>Forward pass done</source>
        <translation>Passe avant terminée</translation>
    </message>
    <message>
        <source>Step {0} of {1} (backward call {2}): {3}</source>
        <translation>Pas {0} sur {1} (appel {2} de backward)&#xa0;: {3}</translation>
    </message>
    <message>
        <source>Step {0} of {1}: {2}</source>
        <translation>Pas {0} sur {1}&#xa0;: {2}</translation>
    </message>
    <message>
        <source>output = {0}. </source>
        <translation>sortie = {0}. </translation>
    </message>
    <message>
        <source>Nothing requires a gradient: there is no backward pass.</source>
        <translation>Rien ne demande de gradient&#xa0;: il n&apos;y a pas de passe arrière.</translation>
    </message>
    <message>
        <source>backward is called {0} times without zeroing: each call adds to .grad. </source>
        <translation>backward est appelé {0} fois sans remise à zéro&#xa0;: chaque appel s&apos;ajoute à .grad. </translation>
    </message>
    <message>
        <source>Press Space to play the backward pass ({0} steps), or → to go one step at a time.</source>
        <translation>Appuyez sur Espace pour dérouler la passe arrière ({0} pas), ou sur → pour avancer pas à pas.</translation>
    </message>
    <message>
        <source>Forward pass: the inputs</source>
        <translation>Passe avant&#xa0;: les entrées</translation>
    </message>
    <message>
        <source>The leaves hold the inputs: {0}. Press → to compute the first node ({1} to go).</source>
        <translation>Les feuilles contiennent les entrées&#xa0;: {0}. Appuyez sur → pour calculer le premier nœud ({1} en tout).</translation>
    </message>
    <message>
        <source>Forward {0} of {1}: {2}</source>
        <translation>Passe avant, nœud {0} sur {1}&#xa0;: {2}</translation>
    </message>
    <message>
        <source>{0} computes {1} from {2}.</source>
        <translation>{0} calcule {1} à partir de {2}.</translation>
    </message>
    <message>
        <source>constants</source>
        <translation>constantes</translation>
    </message>
    <message>
        <source>It saves {0} for the backward pass.</source>
        <translation>Il garde {0} pour la passe arrière.</translation>
    </message>
    <message>
        <source>The forward pass is done: output = {0}. Press → to start the backward pass.</source>
        <translation>La passe avant est terminée&#xa0;: sortie = {0}. Appuyez sur → pour commencer la passe arrière.</translation>
    </message>
    <message>
        <source>placed at</source>
        <translation>placé en</translation>
    </message>
    <message>
        <source>added at</source>
        <translation>ajouté en</translation>
    </message>
    <message>
        <source>0 elsewhere</source>
        <translation>0 ailleurs</translation>
    </message>
    <message>
        <source>0 where the in-place write overwrote it</source>
        <translation>0 là où l’écriture en place l’a écrasé</translation>
    </message>
    <message>
        <source>at the overwritten elements</source>
        <translation>aux éléments écrasés</translation>
    </message>
    <message>
        <source>your own backward</source>
        <translation>votre propre backward</translation>
    </message>
    <message>
        <source>{0}: {1}.grad = {2}</source>
        <translation>{0}&#xa0;: {1}.grad = {2}</translation>
    </message>
    <message>
        <source>{0} receives {1} and sends {2}</source>
        <translation>{0} reçoit {1} et envoie {2}</translation>
    </message>
    <message>
        <source>Backward call {0} done: {1}</source>
        <translation>Appel {0} de backward terminé&#xa0;: {1}</translation>
    </message>
    <message>
        <source>Backward pass done: {0}</source>
        <translation>Passe arrière terminée&#xa0;: {0}</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>{function}   at {variables}</source>
        <translation>{function}   en {variables}</translation>
    </message>
    <message>
        <source>cannot export to {0!r}: use .png, .svg or .pdf</source>
        <translation>impossible d&apos;exporter vers {0!r}&#xa0;: utilisez .png, .svg ou .pdf</translation>
    </message>
    <message>
        <source>scale must be between 1 and 4</source>
        <translation>l&apos;échelle doit être comprise entre 1 et 4</translation>
    </message>
    <message>
        <source>could not write {0}</source>
        <translation>impossible d&apos;écrire {0}</translation>
    </message>
    <message>
        <source>autograd graph drawn by gradviz</source>
        <translation>graphe autograd dessiné par gradviz</translation>
    </message>
</context>
<context>
    <name>ExportActions</name>
    <message>
        <source>Nothing to export yet: build a function.</source>
        <translation>Rien à exporter pour l’instant&#xa0;: construisez une fonction.</translation>
    </message>
    <message>
        <source>Export the graph</source>
        <translation>Exporter le graphe</translation>
    </message>
    <message>
        <source>Images (*.png *.svg *.pdf);;Animation (*.gif);;Interactive page (*.html);;Snapshot (*.json);;Graph (*.dot)</source>
        <translation>Images (*.png *.svg *.pdf);;Animation (*.gif);;Page interactive (*.html);;Snapshot (*.json);;Graphe (*.dot)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Échec de l’export</translation>
    </message>
    <message>
        <source>Could not write {0}: {1}</source>
        <translation>Impossible d’écrire {0}&#xa0;: {1}</translation>
    </message>
    <message>
        <source>Exported {0}</source>
        <translation>Exporté&#xa0;: {0}</translation>
    </message>
    <message>
        <source>Export an interactive page</source>
        <translation>Exporter une page interactive</translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation>Page web (*.html)</translation>
    </message>
    <message>
        <source>The graph is on the clipboard.</source>
        <translation>Le graphe est dans le presse-papiers.</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Find a node: op, label or variable</source>
        <translation>Chercher un nœud&#xa0;: opération, étiquette ou variable</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter)</source>
        <translation>Résultat précédent (Maj+Entrée)</translation>
    </message>
    <message>
        <source>Next match (Enter)</source>
        <translation>Résultat suivant (Entrée)</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Fermer (Échap)</translation>
    </message>
    <message>
        <source>no match</source>
        <translation>aucun résultat</translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation>{0} sur {1}</translation>
    </message>
</context>
<context>
    <name>FlowExport</name>
    <message>
        <source>could not write {0}</source>
        <translation>impossible d&apos;écrire {0}</translation>
    </message>
    <message>
        <source>gradient flow chart drawn by gradviz</source>
        <translation>graphique du flux de gradient dessiné par gradviz</translation>
    </message>
</context>
<context>
    <name>FunctionEditor</name>
    <message>
        <source>Type a function, e.g. 5*x**3 + 2*x, then Enter</source>
        <translation>Tapez une fonction, par ex. 5*x**3 + 2*x, puis Entrée</translation>
    </message>
    <message>
        <source>Enter builds the graph; Shift+Enter adds a line</source>
        <translation>Entrée construit le graphe&#x202f;; Maj+Entrée ajoute une ligne</translation>
    </message>
</context>
<context>
    <name>GradCard</name>
    <message>
        <source>.grad</source>
        <translation>.grad</translation>
    </message>
    <message>
        <source>+ {0} more (Gradients panel)</source>
        <translation>+ {0} autres (panneau Gradients)</translation>
    </message>
</context>
<context>
    <name>GradientFlowPanel</name>
    <message>
        <source>Gradient norm per parameter</source>
        <translation>Norme du gradient par paramètre</translation>
    </message>
    <message>
        <source>Gradient norm per module</source>
        <translation>Norme du gradient par module</translation>
    </message>
    <message>
        <source>Saved tensors: bytes per node</source>
        <translation>Tenseurs sauvegardés&#xa0;: octets par nœud</translation>
    </message>
    <message>
        <source>Saved tensors: bytes per module</source>
        <translation>Tenseurs sauvegardés&#xa0;: octets par module</translation>
    </message>
    <message>
        <source>Gradient norm per run (lines)</source>
        <translation>Norme du gradient par appel de backward (courbes)</translation>
    </message>
    <message>
        <source>Gradient norm per module and run (lines)</source>
        <translation>Norme du gradient par module et par appel (courbes)</translation>
    </message>
    <message>
        <source>Saved tensors: what checkpointing each module would free</source>
        <translation>Tenseurs sauvegardés&#xa0;: ce que libérerait le checkpointing de chaque module</translation>
    </message>
    <message>
        <source>backward run</source>
        <translation>appel de backward</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Save this chart as a PNG or SVG file</source>
        <translation>Enregistrer ce graphique en PNG ou en SVG</translation>
    </message>
    <message>
        <source>Export chart as PNG…</source>
        <translation>Exporter le graphique en PNG…</translation>
    </message>
    <message>
        <source>Export chart as SVG…</source>
        <translation>Exporter le graphique en SVG…</translation>
    </message>
    <message>
        <source>No module, or no saved-tensor measurement.</source>
        <translation>Aucun module, ou pas de mesure des tenseurs sauvegardés.</translation>
    </message>
    <message>
        <source>This Snapshot has no saved-tensor measurement.</source>
        <translation>Ce Snapshot n&apos;a pas de mesure des tenseurs sauvegardés.</translation>
    </message>
    <message>
        <source>(no module)</source>
        <translation>(aucun module)</translation>
    </message>
    <message>
        <source>No parameter received a gradient.</source>
        <translation>Aucun paramètre n&apos;a reçu de gradient.</translation>
    </message>
    <message>
        <source>Click a bar for its numbers.</source>
        <translation>Cliquez sur une barre pour voir ses nombres.</translation>
    </message>
    <message>
        <source>One backward run: build with --runs N (or Replay ▸ Run backward again) to see lines.</source>
        <translation>Un seul appel de backward&#xa0;: construisez avec --runs N (ou Lecture ▸ Relancer la passe arrière) pour voir des courbes.</translation>
    </message>
    <message>
        <source>Each run&apos;s own gradient (not the accumulated .grad), over {0} backward runs.</source>
        <translation>Le gradient propre à chaque appel (pas le .grad accumulé), sur {0} appels de backward.</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Image PNG (*.png)</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>Image SVG (*.svg)</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>Exporter le graphique</translation>
    </message>
    <message>
        <source>costs {0}</source>
        <translation>coûte {0}</translation>
    </message>
    <message>
        <source>{0}: checkpointing it would free {1} of the {2} its nodes save for backward, and keep {3} of inputs nothing else saves: {4} in all.</source>
        <translation>{0}&#xa0;: le checkpointing libérerait {1} des {2} que ses nœuds sauvegardent pour la passe arrière, et garderait {3} d’entrées que rien d’autre ne sauvegarde&#xa0;: {4} au total.</translation>
    </message>
    <message>
        <source>{0} in all, each storage counted once</source>
        <translation>{0} au total, chaque stockage compté une fois</translation>
    </message>
    <message>
        <source>{0}: norm {1}, max |g| {2}, mean |g| {3}, zeros {4} % ({5} elements)</source>
        <translation>{0}&#xa0;: norme {1}, max |g| {2}, moyenne |g| {3}, zéros {4}&#xa0;% ({5} éléments)</translation>
    </message>
</context>
<context>
    <name>GradientsPanel</name>
    <message>
        <source>leaf</source>
        <translation>feuille</translation>
    </message>
    <message>
        <source>value</source>
        <translation>valeur</translation>
    </message>
    <message>
        <source>.grad</source>
        <translation>.grad</translation>
    </message>
    <message>
        <source>Click to show {0} in the graph</source>
        <translation>Cliquez pour montrer {0} dans le graphe</translation>
    </message>
    <message>
        <source>{0} has requires_grad=False: PyTorch keeps no gradient for it (.grad is None)</source>
        <translation>{0} a requires_grad=False&#xa0;: PyTorch ne lui garde aucun gradient (.grad vaut None)</translation>
    </message>
    <message>
        <source>{0}.grad: the gradients from every path, added up</source>
        <translation>{0}.grad&#xa0;: la somme des gradients venus de chaque chemin</translation>
    </message>
    <message>
        <source>Gradients arrive at {0} along each path; AccumulateGrad adds them up</source>
        <translation>Les gradients arrivent à {0} par chaque chemin&#x202f;; AccumulateGrad les additionne</translation>
    </message>
</context>
<context>
    <name>GraphScene</name>
    <message>
        <source>output</source>
        <translation>sortie</translation>
    </message>
    <message>
        <source>line {0}</source>
        <translation>ligne {0}</translation>
    </message>
    <message>
        <source>value: {0}</source>
        <translation>valeur&#xa0;: {0}</translation>
    </message>
    <message>
        <source>gradient: {0}</source>
        <translation>gradient&#xa0;: {0}</translation>
    </message>
    <message>
        <source>not computed yet</source>
        <translation>pas encore calculé</translation>
    </message>
</context>
<context>
    <name>HelpController</name>
    <message>
        <source>Space</source>
        <translation>Espace</translation>
    </message>
    <message>
        <source>Play / pause the replay</source>
        <translation>Lancer / mettre en pause la lecture</translation>
    </message>
    <message>
        <source>→ / ←</source>
        <translation>→ / ←</translation>
    </message>
    <message>
        <source>One step forward / back</source>
        <translation>Un pas en avant / en arrière</translation>
    </message>
    <message>
        <source>Page Down / Page Up</source>
        <translation>Page suivante / Page précédente</translation>
    </message>
    <message>
        <source>One step forward / back (presentation clickers)</source>
        <translation>Un pas en avant / en arrière (télécommandes de présentation)</translation>
    </message>
    <message>
        <source>Home / End</source>
        <translation>Début / Fin</translation>
    </message>
    <message>
        <source>First / last step</source>
        <translation>Premier / dernier pas</translation>
    </message>
    <message>
        <source>F</source>
        <translation>F</translation>
    </message>
    <message>
        <source>Fit the whole graph</source>
        <translation>Afficher tout le graphe</translation>
    </message>
    <message>
        <source>+ / −</source>
        <translation>+ / −</translation>
    </message>
    <message>
        <source>Zoom in / out (the mouse wheel too)</source>
        <translation>Zoom avant / arrière (la molette aussi)</translation>
    </message>
    <message>
        <source>Shift + arrows</source>
        <translation>Maj + flèches</translation>
    </message>
    <message>
        <source>Move around the graph</source>
        <translation>Se déplacer dans le graphe</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>Find a node by name</source>
        <translation>Chercher un nœud par son nom</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message>
        <source>Presentation mode: full screen, large text (Esc leaves)</source>
        <translation>Mode présentation&#xa0;: plein écran, grand texte (Échap pour quitter)</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Échap</translation>
    </message>
    <message>
        <source>Leave presentation mode</source>
        <translation>Quitter le mode présentation</translation>
    </message>
    <message>
        <source>Z</source>
        <translation>Z</translation>
    </message>
    <message>
        <source>Presentation: zoom to readable text on the active node</source>
        <translation>Présentation&#xa0;: zoomer jusqu’à un texte lisible sur le nœud actif</translation>
    </message>
    <message>
        <source>L / Ctrl+L</source>
        <translation>L / Ctrl+L</translation>
    </message>
    <message>
        <source>Show or hide the legend (L in presentation)</source>
        <translation>Afficher ou masquer la légende (L en présentation)</translation>
    </message>
    <message>
        <source>M</source>
        <translation>M</translation>
    </message>
    <message>
        <source>Presentation: the whole explanation, or its first lines</source>
        <translation>Présentation&#xa0;: toute l’explication, ou ses premières lignes</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <source>Build the function typed in the editor</source>
        <translation>Construire la fonction saisie dans l&apos;éditeur</translation>
    </message>
    <message>
        <source>Shift+Enter</source>
        <translation>Maj+Entrée</translation>
    </message>
    <message>
        <source>A new line in the editor</source>
        <translation>Une nouvelle ligne dans l&apos;éditeur</translation>
    </message>
    <message>
        <source>Ctrl+R / Ctrl+Shift+R</source>
        <translation>Ctrl+R / Ctrl+Maj+R</translation>
    </message>
    <message>
        <source>Run backward again / zero the gradients</source>
        <translation>Relancer la passe arrière / remettre les gradients à zéro</translation>
    </message>
    <message>
        <source>Ctrl+O / Ctrl+S</source>
        <translation>Ctrl+O / Ctrl+S</translation>
    </message>
    <message>
        <source>Open / save a lesson</source>
        <translation>Ouvrir / enregistrer une leçon</translation>
    </message>
    <message>
        <source>Double-click a module box</source>
        <translation>Double-clic sur le cadre d&apos;un module</translation>
    </message>
    <message>
        <source>Collapse the module into one node (double-click that node to expand it)</source>
        <translation>Replier le module en un seul nœud (double-cliquez sur ce nœud pour le déplier)</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>This list</source>
        <translation>Cette liste</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>grey: a backward function (one operation of the forward pass, e.g. MulBackward0 for a *)</source>
        <translation>gris&#xa0;: une fonction de la passe arrière (une opération de la passe avant, par exemple MulBackward0 pour un *)</translation>
    </message>
    <message>
        <source>light blue: a leaf, a tensor you created with requires_grad=True (x, w, b)</source>
        <translation>bleu clair&#xa0;: une feuille, un tenseur créé avec requires_grad=True (x, w, b)</translation>
    </message>
    <message>
        <source>orange: a tensor saved during the forward pass, which the backward function needs</source>
        <translation>orange&#xa0;: un tenseur gardé pendant la passe avant, dont la fonction de la passe arrière a besoin</translation>
    </message>
    <message>
        <source>green: the output, where the backward pass starts</source>
        <translation>vert&#xa0;: la sortie, d&apos;où part la passe arrière</translation>
    </message>
    <message>
        <source>thistle boxes: the nodes made by one nn.Module call (double-click a box to collapse it)</source>
        <translation>cadres mauves&#xa0;: les nœuds créés par un appel de nn.Module (double-cliquez sur un cadre pour le replier)</translation>
    </message>
    <message>
        <source>Arrows point from the inputs to the nodes that use them, as the forward pass computed them. The gradient flows against the arrows: from the output back to the leaves.</source>
        <translation>Les flèches vont des entrées vers les nœuds qui les utilisent, dans le sens de la passe avant. Le gradient circule à contre-sens des flèches&#xa0;: de la sortie vers les feuilles (c&apos;est la rétropropagation).</translation>
    </message>
    <message>
        <source>One step of the replay runs one node of the backward pass, in the order PyTorch&apos;s engine runs them: the node receives the gradient of the output with respect to its result, multiplies it by its local derivative (the chain rule) and sends one gradient along each input arrow. The bar under the graph writes the step&apos;s numbers.</source>
        <translation>Un pas de la lecture exécute un nœud de la passe arrière, dans l&apos;ordre où le moteur de PyTorch les exécute&#xa0;: le nœud reçoit le gradient de la sortie par rapport à son résultat, le multiplie par sa dérivée locale (la règle de dérivation en chaîne) et envoie un gradient le long de chaque flèche d&apos;entrée. La barre sous le graphe détaille les calculs du pas.</translation>
    </message>
    <message>
        <source>“grad” under a node is the gradient that has reached it so far; under a leaf it is the leaf&apos;s .grad. A number on an arrow is the gradient sent along it.</source>
        <translation>«&#xa0;grad&#xa0;» sous un nœud est le gradient qui l&apos;a atteint jusqu&apos;ici&#x202f;; sous une feuille, c&apos;est son .grad. Un nombre sur une flèche est le gradient envoyé le long de cette flèche.</translation>
    </message>
    <message>
        <source>Why is x.grad a sum? In y = 5x³ + 2x² + 4x + 8, x is used three times, so three gradients reach it: 4 (from 4x), 8 (from 2x², 4x at x = 2) and 60 (from 5x³, 15x² at x = 2). AccumulateGrad adds them: x.grad = 4 + 8 + 60 = 72, the derivative 15x² + 4x + 4 at x = 2.</source>
        <translation>Pourquoi x.grad est-il une somme&#x202f;? Dans y = 5x³ + 2x² + 4x + 8, x est utilisé trois fois&#xa0;: trois gradients lui parviennent, 4 (de 4x), 8 (de 2x², 4x en x = 2) et 60 (de 5x³, 15x² en x = 2). AccumulateGrad les additionne&#xa0;: x.grad = 4 + 8 + 60 = 72, la dérivée 15x² + 4x + 4 en x = 2.</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>Couleurs</translation>
    </message>
    <message>
        <source>How to read this graph</source>
        <translation>Comment lire ce graphe</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>non installé</translation>
    </message>
    <message>
        <source>version unknown</source>
        <translation>version inconnue</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>aucun trouvé</translation>
    </message>
    <message>
        <source>Layout engine</source>
        <translation>Moteur de mise en page</translation>
    </message>
    <message>
        <source>gradviz draws PyTorch&apos;s autograd graph and replays the backward pass step by step.</source>
        <translation>gradviz dessine le graphe autograd de PyTorch et rejoue la passe arrière pas à pas.</translation>
    </message>
    <message>
        <source>About gradviz</source>
        <translation>À propos de gradviz</translation>
    </message>
</context>
<context>
    <name>LessonController</name>
    <message>
        <source>Untitled lesson</source>
        <translation>Leçon sans titre</translation>
    </message>
    <message>
        <source>Open a lesson</source>
        <translation>Ouvrir une leçon</translation>
    </message>
    <message>
        <source>gradviz lessons (*.gradviz.json);;All files (*)</source>
        <translation>Leçons gradviz (*.gradviz.json);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>This lesson cannot be opened</source>
        <translation>Impossible d&apos;ouvrir cette leçon</translation>
    </message>
    <message>
        <source>Save the lesson</source>
        <translation>Enregistrer la leçon</translation>
    </message>
    <message>
        <source>gradviz lessons (*.gradviz.json)</source>
        <translation>Leçons gradviz (*.gradviz.json)</translation>
    </message>
    <message>
        <source>The lesson was not saved</source>
        <translation>La leçon n&apos;a pas été enregistrée</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>Leçon enregistrée&#xa0;: {0}</translation>
    </message>
    <message>
        <source>Running the code once: the choice could not be remembered ({0})</source>
        <translation>Le code est exécuté cette fois-ci, mais le choix n&apos;a pas pu être retenu ({0})</translation>
    </message>
</context>
<context>
    <name>LessonPanel</name>
    <message>
        <source>The functions of this lesson</source>
        <translation>Les fonctions de cette leçon</translation>
    </message>
    <message>
        <source>Python code (not run until you choose to):</source>
        <translation>Code Python (exécuté seulement si vous le choisissez)&#xa0;:</translation>
    </message>
    <message>
        <source>Run code from this lesson…</source>
        <translation>Exécuter le code de cette leçon…</translation>
    </message>
    <message>
        <source>Function {0}</source>
        <translation>Fonction {0}</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Modifications non enregistrées</translation>
    </message>
    <message>
        <source>The lesson “{0}” has unsaved changes.</source>
        <translation>La leçon «&#xa0;{0}&#xa0;» a des modifications non enregistrées.</translation>
    </message>
    <message>
        <source>Save them before going on?</source>
        <translation>Les enregistrer avant de continuer&#x202f;?</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>gradviz</source>
        <translation>gradviz</translation>
    </message>
    <message>
        <source>Build (Enter)</source>
        <translation>Construire (Entrée)</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>Variables</translation>
    </message>
    <message>
        <source>Function</source>
        <translation>Fonction</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>Gradients</translation>
    </message>
    <message>
        <source>Paths</source>
        <translation>Chemins</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problèmes</translation>
    </message>
    <message>
        <source>Gradient flow</source>
        <translation>Flux de gradient</translation>
    </message>
    <message>
        <source>Type a function first, e.g. 5*x**3 + 2*x</source>
        <translation>Tapez d&apos;abord une fonction, par ex. 5*x**3 + 2*x</translation>
    </message>
    <message>
        <source>gradviz — {0}</source>
        <translation>gradviz — {0}</translation>
    </message>
    <message>
        <source>Could not lay out the collapsed graph: {0}</source>
        <translation>Impossible de mettre en page le graphe replié&#xa0;: {0}</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Examples</source>
        <translation>&amp;Exemples</translation>
    </message>
    <message>
        <source>&amp;Replay</source>
        <translation>&amp;Lecture</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ai&amp;de</translation>
    </message>
    <message>
        <source>&amp;Open lesson…</source>
        <translation>&amp;Ouvrir une leçon…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Leçons &amp;récentes</translation>
    </message>
    <message>
        <source>&amp;Save lesson</source>
        <translation>&amp;Enregistrer la leçon</translation>
    </message>
    <message>
        <source>Save lesson &amp;as…</source>
        <translation>Enregistrer la leçon &amp;sous…</translation>
    </message>
    <message>
        <source>&amp;Export image…</source>
        <translation>&amp;Exporter l’image…</translation>
    </message>
    <message>
        <source>Export &amp;visible region…</source>
        <translation>Exporter la partie &amp;visible…</translation>
    </message>
    <message>
        <source>Export interactive &amp;page…</source>
        <translation>Exporter une &amp;page interactive…</translation>
    </message>
    <message>
        <source>&amp;Copy image</source>
        <translation>&amp;Copier l’image</translation>
    </message>
    <message>
        <source>&amp;Build</source>
        <translation>&amp;Construire</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Play / pause</source>
        <translation>Lecture / pause</translation>
    </message>
    <message>
        <source>Step forward</source>
        <translation>Pas suivant</translation>
    </message>
    <message>
        <source>Step back</source>
        <translation>Pas précédent</translation>
    </message>
    <message>
        <source>First step</source>
        <translation>Premier pas</translation>
    </message>
    <message>
        <source>Last step</source>
        <translation>Dernier pas</translation>
    </message>
    <message>
        <source>Replay the &amp;forward pass first</source>
        <translation>Rejouer d&apos;abord la passe &amp;avant</translation>
    </message>
    <message>
        <source>Before the backward steps, light up each node in the order the forward pass computed it, with its value</source>
        <translation>Avant les pas de la passe arrière, allumer chaque nœud dans l&apos;ordre où la passe avant l&apos;a calculé, avec sa valeur</translation>
    </message>
    <message>
        <source>Run backward &amp;again</source>
        <translation>&amp;Relancer la passe arrière</translation>
    </message>
    <message>
        <source>Call backward once more without zeroing: .grad adds up</source>
        <translation>Appelle backward une fois de plus, sans remise à zéro&#xa0;: .grad s&apos;accumule</translation>
    </message>
    <message>
        <source>&amp;Zero grad</source>
        <translation>Remettre les gradients à &amp;zéro</translation>
    </message>
    <message>
        <source>Zero the gradients, as optimizer.zero_grad() does: one backward call</source>
        <translation>Remet les gradients à zéro, comme optimizer.zero_grad()&#xa0;: un seul appel à backward</translation>
    </message>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>Mode &amp;présentation</translation>
    </message>
    <message>
        <source>Full screen, large text, keys only (Esc leaves)</source>
        <translation>Plein écran, grand texte, au clavier seulement (Échap pour quitter)</translation>
    </message>
    <message>
        <source>Show the &amp;legend</source>
        <translation>Afficher la &amp;légende</translation>
    </message>
    <message>
        <source>What the colours, grad and the edge numbers mean (L in presentation mode)</source>
        <translation>Ce que veulent dire les couleurs, grad et les nombres sur les arêtes (L en mode présentation)</translation>
    </message>
    <message>
        <source>&amp;Fit the graph</source>
        <translation>&amp;Ajuster le graphe à la fenêtre</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>Zoom a&amp;vant</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>Zoom a&amp;rrière</translation>
    </message>
    <message>
        <source>Show &amp;saved tensors</source>
        <translation>Afficher les tenseurs &amp;sauvegardés</translation>
    </message>
    <message>
        <source>&amp;Collapse all modules</source>
        <translation>Replier tous les &amp;modules</translation>
    </message>
    <message>
        <source>&amp;Expand all modules</source>
        <translation>&amp;Déplier tous les modules</translation>
    </message>
    <message>
        <source>C&amp;olour nodes by</source>
        <translation>C&amp;olorer les nœuds selon</translation>
    </message>
    <message>
        <source>&amp;Direction</source>
        <translation>&amp;Orientation</translation>
    </message>
    <message>
        <source>Top to bottom</source>
        <translation>De haut en bas</translation>
    </message>
    <message>
        <source>Left to right</source>
        <translation>De gauche à droite</translation>
    </message>
    <message>
        <source>Bottom to top</source>
        <translation>De bas en haut</translation>
    </message>
    <message>
        <source>Right to left</source>
        <translation>De droite à gauche</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Thème</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <source>&amp;How to read this graph</source>
        <translation>&amp;Comment lire ce graphe</translation>
    </message>
    <message>
        <source>&amp;About gradviz</source>
        <translation>À &amp;propos de gradviz</translation>
    </message>
    <message>
        <source>The language changes the next time gradviz starts.</source>
        <translation>La langue changera au prochain démarrage de gradviz.</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>Then choose &quot;Run code from this lesson&quot;.</source>
        <translation>Puis choisissez «&#xa0;Exécuter le code de cette leçon&#xa0;».</translation>
    </message>
    <message>
        <source>scalar</source>
        <translation>scalaire</translation>
    </message>
</context>
<context>
    <name>NodeColouring</name>
    <message>
        <source>Kind (no measure)</source>
        <translation>Type (aucune mesure)</translation>
    </message>
    <message>
        <source>Gradient norm</source>
        <translation>Norme du gradient</translation>
    </message>
    <message>
        <source>Value norm</source>
        <translation>Norme de la valeur</translation>
    </message>
    <message>
        <source>Saved bytes</source>
        <translation>Octets sauvegardés</translation>
    </message>
    <message>
        <source>Order of differentiation</source>
        <translation>Ordre de dérivation</translation>
    </message>
    <message>
        <source>forward</source>
        <translation>passe avant</translation>
    </message>
    <message>
        <source>first backward</source>
        <translation>première passe arrière</translation>
    </message>
    <message>
        <source>second backward</source>
        <translation>seconde passe arrière</translation>
    </message>
    <message>
        <source>The replay is the next backward pass.</source>
        <translation>La lecture rejoue la passe arrière suivante.</translation>
    </message>
    <message>
        <source>log scale; uncoloured: not measured</source>
        <translation>échelle logarithmique&#x202f;; sans couleur&#xa0;: non mesuré</translation>
    </message>
    <message>
        <source>linear scale; uncoloured: not measured</source>
        <translation>échelle linéaire&#x202f;; sans couleur&#xa0;: non mesuré</translation>
    </message>
    <message>
        <source>NaN or ±Inf</source>
        <translation>NaN ou ±Inf</translation>
    </message>
</context>
<context>
    <name>NodeInspector</name>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>Attributs</translation>
    </message>
    <message>
        <source>Saved tensors</source>
        <translation>Tenseurs sauvegardés</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Gradient</source>
        <translation>Gradient</translation>
    </message>
    <message>
        <source>No node selected</source>
        <translation>Aucun nœud sélectionné</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>non enregistrée</translation>
    </message>
    <message>
        <source>not computed yet</source>
        <translation>pas encore calculé</translation>
    </message>
    <message>
        <source>backward function</source>
        <translation>fonction de la passe arrière</translation>
    </message>
    <message>
        <source>leaf tensor</source>
        <translation>tenseur feuille</translation>
    </message>
    <message>
        <source>saved tensor</source>
        <translation>tenseur sauvegardé</translation>
    </message>
    <message>
        <source>output</source>
        <translation>sortie</translation>
    </message>
    <message>
        <source>view base</source>
        <translation>tenseur de base d&apos;une vue</translation>
    </message>
</context>
<context>
    <name>PageWords</name>
    <message>
        <source>Step {0} of {1}</source>
        <translation>Pas {0} sur {1}</translation>
    </message>
    <message>
        <source>First step (Home)</source>
        <translation>Premier pas (Début)</translation>
    </message>
    <message>
        <source>Previous step (←)</source>
        <translation>Pas précédent (←)</translation>
    </message>
    <message>
        <source>Play (Space)</source>
        <translation>Lecture (Espace)</translation>
    </message>
    <message>
        <source>Pause (Space)</source>
        <translation>Pause (Espace)</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Lecture</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Next step (→)</source>
        <translation>Pas suivant (→)</translation>
    </message>
    <message>
        <source>Last step (End)</source>
        <translation>Dernier pas (Fin)</translation>
    </message>
    <message>
        <source>Zoom in (+)</source>
        <translation>Zoom avant (+)</translation>
    </message>
    <message>
        <source>Zoom out (−)</source>
        <translation>Zoom arrière (−)</translation>
    </message>
    <message>
        <source>Fit the graph (F)</source>
        <translation>Ajuster le graphe (F)</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>Gradients</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Nœud</translation>
    </message>
    <message>
        <source>Hover over or click a node to see its value, gradient and attributes.</source>
        <translation>Survolez ou cliquez sur un nœud pour voir sa valeur, son gradient et ses attributs.</translation>
    </message>
    <message>
        <source>Shown at this step: {0}</source>
        <translation>Affiché à ce pas&#xa0;: {0}</translation>
    </message>
    <message>
        <source>leaf</source>
        <translation>feuille</translation>
    </message>
    <message>
        <source>value</source>
        <translation>valeur</translation>
    </message>
    <message>
        <source>.grad</source>
        <translation>.grad</translation>
    </message>
</context>
<context>
    <name>PathsPanel</name>
    <message>
        <source>Paths</source>
        <translation>Chemins</translation>
    </message>
    <message>
        <source>Select a leaf or a node: every path from the output to it is highlighted, with the product of its local derivatives.</source>
        <translation>Sélectionnez une feuille ou un nœud&#xa0;: chaque chemin de la sortie jusqu’à lui est mis en évidence, avec le produit de ses dérivées locales.</translation>
    </message>
    <message>
        <source>(line {0})</source>
        <translation>(ligne {0})</translation>
    </message>
    <message>
        <source>output</source>
        <translation>sortie</translation>
    </message>
    <message>
        <source>the gradient at {0}</source>
        <translation>le gradient en {0}</translation>
    </message>
    <message>
        <source>No path from the output reaches {0}: no gradient flows to it.</source>
        <translation>Aucun chemin ne relie la sortie à {0}&#xa0;: aucun gradient n’y arrive.</translation>
    </message>
    <message>
        <source>{0} is where the backward pass starts: its gradient is 1.</source>
        <translation>La rétropropagation part de {0}&#xa0;: son gradient vaut 1.</translation>
    </message>
    <message>
        <source>1 path from the output to {0}</source>
        <translation>1 chemin de la sortie à {0}</translation>
    </message>
    <message>
        <source>{0} paths from the output to {1}</source>
        <translation>{0} chemins de la sortie à {1}</translation>
    </message>
    <message>
        <source>Chain rule: multiply the local derivatives along a path, add over the paths.</source>
        <translation>Dérivation en chaîne&#xa0;: on multiplie les dérivées locales le long d’un chemin, on additionne les chemins.</translation>
    </message>
    <message>
        <source>via {0}: {1}</source>
        <translation>par {0}&#xa0;: {1}</translation>
    </message>
    <message>
        <source>… and {0} more paths</source>
        <translation>… et {0} autres chemins</translation>
    </message>
    <message>
        <source>{0} = {1}</source>
        <translation>{0} = {1}</translation>
    </message>
    <message>
        <source>sum: {0} = {1} = {2}</source>
        <translation>somme&#xa0;: {0} = {1} = {2}</translation>
    </message>
    <message>
        <source>sum: {0} = {1}</source>
        <translation>somme&#xa0;: {0} = {1}</translation>
    </message>
    <message>
        <source>Tensors: each path shows the gradient its last edge delivered (paths through the same edge share it); the sum is over those last edges.</source>
        <translation>Tenseurs&#xa0;: chaque chemin montre le gradient livré par sa dernière arête (les chemins qui passent par la même arête le partagent)&#x202f;; la somme porte sur ces dernières arêtes.</translation>
    </message>
    <message>
        <source>{0} = {1} = {2} (one term per path)</source>
        <translation>{0} = {1} = {2} (un terme par chemin)</translation>
    </message>
    <message>
        <source>One term per path from the output to {0}: {1}.</source>
        <translation>Un terme par chemin de la sortie à {0}&#xa0;: {1}.</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <source>Step {step}: {op} sends {kind} to {target}, the first NaN/Inf gradient of the backward pass.</source>
        <translation>Pas {step}&#xa0;: {op} envoie {kind} à {target}, le premier gradient NaN/Inf de la passe arrière.</translation>
    </message>
    <message>
        <source>Step {step}: saturated sigmoid{expression}: at z = {z}, σ&apos;(z) = σ(1−σ) = {derivative}, so almost no gradient passes (saturated elements: {count} of {total}).</source>
        <translation>Pas {step}&#xa0;: sigmoïde saturée{expression}&#xa0;: en z = {z}, σ&apos;(z) = σ(1−σ) = {derivative}, donc presque aucun gradient ne passe (éléments saturés&#xa0;: {count} sur {total}).</translation>
    </message>
    <message>
        <source>Step {step}: saturated tanh{expression}: at z = {z}, tanh&apos;(z) = 1 − tanh² = {derivative}, so almost no gradient passes (saturated elements: {count} of {total}).</source>
        <translation>Pas {step}&#xa0;: tanh saturée{expression}&#xa0;: en z = {z}, tanh&apos;(z) = 1 − tanh² = {derivative}, donc presque aucun gradient ne passe (éléments saturés&#xa0;: {count} sur {total}).</translation>
    </message>
    <message>
        <source>Step {step}: dead ReLU{expression}: all {total} inputs are ≤ 0 (the largest is {max_input}), so it passes no gradient at all.</source>
        <translation>Pas {step}&#xa0;: ReLU morte{expression}&#xa0;: ses {total} entrées sont toutes ≤ 0 (la plus grande vaut {max_input}), elle ne laisse donc passer aucun gradient.</translation>
    </message>
    <message>
        <source>Step {step}: {op}{expression}: all {total} inputs lie outside [{min}, {max}] (e.g. {value}), so the gradient it passes is 0.</source>
        <translation>Pas {step}&#xa0;: {op}{expression}&#xa0;: ses {total} entrées sont toutes hors de [{min}, {max}] (par exemple {value}), le gradient qu&apos;il transmet est donc 0.</translation>
    </message>
    <message>
        <source>Step {step}: {op} sends the gradient to at most {receiving} of its {total} input elements; the others get 0 (that is how max, min and indexing work).</source>
        <translation>Pas {step}&#xa0;: {op} envoie le gradient à au plus {receiving} de ses {total} éléments d&apos;entrée&#x202f;; les autres reçoivent 0 (c&apos;est ainsi que fonctionnent max, min et l&apos;indexation).</translation>
    </message>
    <message>
        <source>{variable}.grad is exactly 0: its gradient stops at step {step} ({stopped_by}).</source>
        <translation>{variable}.grad vaut exactement 0&#xa0;: son gradient s&apos;arrête au pas {step} ({stopped_by}).</translation>
    </message>
    <message>
        <source>{variable}.grad is exactly 0.</source>
        <translation>{variable}.grad vaut exactement 0.</translation>
    </message>
    <message>
        <source>Step {step}: the gradient {op} sends to {target} has norm {norm}, {growth} times the output&apos;s gradient ({seed_norm}): past the threshold of {ratio} times.</source>
        <translation>Pas {step}&#xa0;: le gradient que {op} envoie à {target} a pour norme {norm}, {growth} fois celle du gradient de la sortie ({seed_norm})&#xa0;: au-delà du seuil de {ratio} fois.</translation>
    </message>
    <message>
        <source>Not checked: no rule looks inside {ops}. Their gradients were checked for NaN/Inf and growth, but not for why they would become 0.</source>
        <translation>Non vérifié&#xa0;: aucune règle n&apos;examine {ops}. Leurs gradients ont été vérifiés (NaN/Inf et croissance), mais pas ce qui les annulerait.</translation>
    </message>
    <message>
        <source>Cause: {origin_op}{expression} at 0: the derivative 1/(2√x) is infinite there, and {grad_in} × inf = {kind}.</source>
        <translation>Cause&#xa0;: {origin_op}{expression} en 0&#xa0;: la dérivée 1/(2√x) y est infinie, et {grad_in} × inf = {kind}.</translation>
    </message>
    <message>
        <source>Cause: {origin_op}{expression} of a negative number ({value}): the result is NaN.</source>
        <translation>Cause&#xa0;: {origin_op}{expression} d&apos;un nombre négatif ({value})&#xa0;: le résultat est NaN.</translation>
    </message>
    <message>
        <source>Cause: {origin_op}{expression} at 0: log(0) = −inf and the derivative 1/x is infinite there.</source>
        <translation>Cause&#xa0;: {origin_op}{expression} en 0&#xa0;: log(0) = −inf et la dérivée 1/x y est infinie.</translation>
    </message>
    <message>
        <source>Cause: {origin_op}{expression}, a division by 0: the derivative of x/y contains 1/y, infinite at y = 0.</source>
        <translation>Cause&#xa0;: {origin_op}{expression}, une division par 0&#xa0;: la dérivée de x/y contient 1/y, infini en y = 0.</translation>
    </message>
    <message>
        <source>Cause: {origin_op}{expression} overflows at {value}: the result is too large for the tensor&apos;s type and becomes inf.</source>
        <translation>Cause&#xa0;: {origin_op}{expression} déborde en {value}&#xa0;: le résultat est trop grand pour le type du tenseur et devient inf.</translation>
    </message>
    <message>
        <source>Cause: {origin_op}{expression} at 0 with the exponent {exponent} &lt; 1: the derivative p·x^(p−1) is infinite there.</source>
        <translation>Cause&#xa0;: {origin_op}{expression} en 0 avec l&apos;exposant {exponent} &lt; 1&#xa0;: la dérivée p·x^(p−1) y est infinie.</translation>
    </message>
    <message>
        <source>Cause: a value of the forward pass was already NaN or inf ({origin_op}); no rule says why.</source>
        <translation>Cause&#xa0;: une valeur de la passe avant était déjà NaN ou inf ({origin_op})&#x202f;; aucune règle ne dit pourquoi.</translation>
    </message>
    <message>
        <source>Cause: the gradient backward() starts from is already {kind}.</source>
        <translation>Cause&#xa0;: le gradient dont part backward() vaut déjà {kind}.</translation>
    </message>
    <message>
        <source>Cause: not checked: no rule says why {op} does this.</source>
        <translation>Cause&#xa0;: non vérifiée, aucune règle ne dit pourquoi {op} fait cela.</translation>
    </message>
    <message>
        <source>{variable}.grad stays None: {variable} is used only inside detach(), which cuts it out of the graph.</source>
        <translation>{variable}.grad reste None&#xa0;: {variable} n&apos;est utilisé que dans detach(), qui le coupe du graphe.</translation>
    </message>
    <message>
        <source>{variable}.grad stays None: the function does not use {variable}.</source>
        <translation>{variable}.grad reste None&#xa0;: la fonction n&apos;utilise pas {variable}.</translation>
    </message>
    <message>
        <source>{variable}.grad stays None: its type is an integer or boolean type, which carries no gradient.</source>
        <translation>{variable}.grad reste None&#xa0;: son type est entier ou booléen, et un tel type ne porte pas de gradient.</translation>
    </message>
    <message>
        <source>{variable}.grad stays None: the graph from the output does not reach it (a detach(), torch.no_grad() or an integer or boolean step cuts it).</source>
        <translation>{variable}.grad reste None&#xa0;: le graphe partant de la sortie ne l&apos;atteint pas (un detach(), un torch.no_grad() ou une opération entière ou booléenne l&apos;en coupe).</translation>
    </message>
    <message>
        <source>error</source>
        <translation>erreur</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>avertissement</translation>
    </message>
    <message>
        <source>note</source>
        <translation>note</translation>
    </message>
    <message>
        <source>Forward pass: line {line} of the code.</source>
        <translation>Passe avant&#xa0;: ligne {line} du code.</translation>
    </message>
    <message>
        <source>No problem found, and every op was checked.</source>
        <translation>Aucun problème trouvé, et toutes les opérations ont été vérifiées.</translation>
    </message>
    <message>
        <source>{severity}: {text}</source>
        <translation>{severity}&#xa0;: {text}</translation>
    </message>
    <message>
        <source>No problem found by the rules.</source>
        <translation>Aucun problème trouvé par les règles.</translation>
    </message>
</context>
<context>
    <name>ProblemsPanel</name>
    <message>
        <source>Build a function to check its gradients.</source>
        <translation>Construisez une fonction pour vérifier ses gradients.</translation>
    </message>
    <message>
        <source>No problem found by the rules (see what was not checked below).</source>
        <translation>Aucun problème trouvé par les règles (voir ci-dessous ce qui n&apos;a pas été vérifié).</translation>
    </message>
    <message>
        <source>No problem found.</source>
        <translation>Aucun problème trouvé.</translation>
    </message>
    <message>
        <source>1 problem found. Click it to go to its step.</source>
        <translation>1 problème trouvé. Cliquez dessus pour aller à son pas.</translation>
    </message>
    <message>
        <source>{0} problems found. Click one to go to its step.</source>
        <translation>{0} problèmes trouvés. Cliquez sur l&apos;un d&apos;eux pour aller à son pas.</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>First step (Home)</source>
        <translation>Premier pas (Début)</translation>
    </message>
    <message>
        <source>Step back (←)</source>
        <translation>Pas précédent (←)</translation>
    </message>
    <message>
        <source>Play / pause (Space)</source>
        <translation>Lecture / pause (Espace)</translation>
    </message>
    <message>
        <source>Step forward (→)</source>
        <translation>Pas suivant (→)</translation>
    </message>
    <message>
        <source>Last step (End)</source>
        <translation>Dernier pas (Fin)</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>Vitesse de lecture</translation>
    </message>
    <message>
        <source>{0}×</source>
        <translation>{0}×</translation>
    </message>
    <message>
        <source>Drag to any step of the backward pass</source>
        <translation>Faites glisser pour aller à n&apos;importe quel pas de la passe arrière</translation>
    </message>
    <message>
        <source>Forward {0} / {1}</source>
        <translation>Passe avant {0} / {1}</translation>
    </message>
    <message>
        <source>Step {0} / {1}</source>
        <translation>Pas {0} / {1}</translation>
    </message>
    <message>
        <source>(backward call {0} of {1})</source>
        <translation>(appel {0} de backward sur {1})</translation>
    </message>
    <message>
        <source>Pause (Space)</source>
        <translation>Pause (Espace)</translation>
    </message>
    <message>
        <source>Play (Space)</source>
        <translation>Lecture (Espace)</translation>
    </message>
</context>
<context>
    <name>VariablesTable</name>
    <message>
        <source>name</source>
        <translation>nom</translation>
    </message>
    <message>
        <source>value</source>
        <translation>valeur</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>forme</translation>
    </message>
    <message>
        <source>grad</source>
        <translation>grad</translation>
    </message>
    <message>
        <source>requires_grad</source>
        <translation>requires_grad</translation>
    </message>
    <message>
        <source>shape (known after a build)</source>
        <translation>forme (connue après une construction)</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>the function was not built within {0} s</source>
        <translation>la fonction n&apos;a pas été construite en moins de {0}&#xa0;s</translation>
    </message>
</context>
</TS>
